using Atlas.Core.Auth;

namespace Atlas.Functions.Auth;

/// <summary>The signed-in caller, from a verified access token. Handlers take it as a parameter; company-scoped
/// handlers look only at <see cref="CompanyId"/>'s data.</summary>
public sealed record Caller(string UserId, string SessionId, string Phone, Role Role, string? CompanyId, string? MemberId)
{
    /// <summary>True when <paramref name="companyId"/> is the caller's own company. Anything else is answered
    /// as if it did not exist (404), so ids of other tenants reveal nothing.</summary>
    public bool BelongsTo(string companyId) => CompanyId is not null && string.Equals(CompanyId, companyId, StringComparison.Ordinal);

    /// <summary>Minimal-API binding: the access control middleware has put the caller on the request.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(context.Features.Get<Caller>());
}
