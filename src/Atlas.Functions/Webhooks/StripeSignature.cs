using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t=…,v1=…[,v1=…]</c>, each v1 the lowercase hex HMAC-SHA256 of
/// "t.rawbody" keyed with an endpoint secret (the whole whsec_… string). One v1 per active secret while a secret is
/// rotated; v0 and unknown schemes are ignored. Compared in constant time; a timestamp too far from now fails.
/// </summary>
public static class StripeSignature
{
    public static bool IsValid(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        long? timestamp = null;
        List<byte[]> signatures = [];
        foreach (var part in header.Split(','))
        {
            var (key, value) = part.IndexOf('=') is var at and > 0 ? (part[..at].Trim(), part[(at + 1)..].Trim()) : ("", "");
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        if (timestamp is not { } seconds || signatures.Count == 0
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));

        // Every pair is compared, so the time taken does not say which secret or signature came close.
        var valid = false;
        foreach (var secret in secrets)
        {
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
            foreach (var signature in signatures)
            {
                valid |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return valid;
    }
}
