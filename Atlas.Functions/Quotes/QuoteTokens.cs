using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Atlas.Functions.Auth;
using Atlas.Functions.Lifecycles;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Quotes;

/// <summary>
/// Quote ids: "q1." + the quote as base64url JSON + "." + its HMAC-SHA256 under a key derived from Auth:CodeKey.
/// Any change to the quote, or a quote made with another key, fails verification.
/// </summary>
public sealed class QuoteTokens(IOptions<AuthOptions> options)
{
    public const int MaxLength = 2048;
    private const string Version = "q1";

    private readonly byte[] _key = HMACSHA256.HashData(AuthOptionsValidation.Decode(options.Value.CodeKey), "atlas quote signature"u8);

    public string Sign(Quote quote)
    {
        var body = Version + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(quote, LifecycleJson.Options));
        return body + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, System.Text.Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>The quote, if <paramref name="token"/> is one this server signed, unaltered; null otherwise.</summary>
    public Quote? Read(string? token)
    {
        if (token is not { Length: > 0 and <= MaxLength } || token.Split('.') is not [Version, var payload, var signature])
        {
            return null;
        }

        var expected = HMACSHA256.HashData(_key, System.Text.Encoding.ASCII.GetBytes(Version + "." + payload));
        if (!Base64Url.IsValid(signature) || !CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(signature)) || !Base64Url.IsValid(payload))
        {
            return null;
        }

        return JsonSerializer.Deserialize<Quote>(Base64Url.DecodeFromChars(payload), LifecycleJson.Options);
    }
}
