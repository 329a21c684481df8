using Atlas.Core.Auth;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Auth;

/// <summary>
/// The phones configured as platform admins (<c>Auth:PlatformAdmins</c>). Such a phone belongs to the platform: it
/// signs in as a platform admin and cannot be made a member of a company (driver, dispatcher or company admin), which
/// would hand a company a say over the platform's staff and give one phone two roles, the lesser of them hidden.
/// </summary>
public sealed class PlatformAdmins(IOptions<AuthOptions> options)
{
    public const string MemberRule = "This phone belongs to a platform admin, who cannot be a member of a company.";

    private readonly HashSet<string> _phones = options.Value.PlatformAdmins
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => PhoneNumber.TryParse(p, out var phone) ? phone.Value : throw new InvalidOperationException($"Auth:PlatformAdmins has '{p}', which is not an E.164 phone."))
        .ToHashSet(StringComparer.Ordinal);

    public bool Contains(PhoneNumber phone) => _phones.Contains(phone.Value);
}
