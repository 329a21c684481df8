using Microsoft.Extensions.Options;

namespace Atlas.Functions.Auth;

/// <summary>The Auth section: token issuer and audience, signing keys (several during a rotation), the key that
/// hashes sign-in codes, and the phones of platform admins.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "atlas";

    public string Audience { get; set; } = "atlas-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Every key that verifies tokens. The one named by <see cref="CurrentKeyId"/> signs new ones.</summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    public string CurrentKeyId { get; set; } = "";

    /// <summary>Base64, at least 32 bytes: the HMAC key for sign-in codes (and, derived from it, the SMS seal).</summary>
    public string CodeKey { get; set; } = "";

    /// <summary>E.164 phones, separated by commas, that sign in as platform admins.</summary>
    public string PlatformAdmins { get; set; } = "";
}

public sealed class SigningKeyOptions
{
    public string Id { get; set; } = "";

    /// <summary>Base64, at least 32 bytes (HS256 needs 256 bits).</summary>
    public string Secret { get; set; } = "";
}

/// <summary>Refuses to start with keys that would fail at the first sign-in, saying which setting is wrong.</summary>
public sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.SigningKeys.Count == 0)
        {
            failures.Add("Auth:SigningKeys needs at least one key (see local.settings.sample.json).");
        }

        foreach (var key in options.SigningKeys)
        {
            if (string.IsNullOrWhiteSpace(key.Id))
            {
                failures.Add("Every Auth:SigningKeys entry needs an Id.");
            }

            if (!IsKey(key.Secret))
            {
                failures.Add($"Auth:SigningKeys '{key.Id}' needs a Secret of at least 32 bytes in base64.");
            }
        }

        if (options.SigningKeys.GroupBy(k => k.Id).Any(g => g.Count() > 1))
        {
            failures.Add("Auth:SigningKeys ids must be unique.");
        }

        if (options.SigningKeys.Count > 0 && options.SigningKeys.All(k => k.Id != options.CurrentKeyId))
        {
            failures.Add($"Auth:CurrentKeyId '{options.CurrentKeyId}' names none of Auth:SigningKeys.");
        }

        if (!IsKey(options.CodeKey))
        {
            failures.Add("Auth:CodeKey needs at least 32 bytes in base64.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static byte[] Decode(string base64) => Convert.FromBase64String(base64);

    private static bool IsKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length >= 32;
    }
}
