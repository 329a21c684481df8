using System.Security.Cryptography;
using System.Text;
using Atlas.Functions.Common;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Auth;

/// <summary>
/// A refresh token is "{sessionId}.{generation}.{secret}": the session family it belongs to, which generation of
/// that family it is, and 256 random bits. Only a SHA-256 of the secret is stored (the secret is random, so a
/// plain hash is enough; nothing to brute-force).
/// </summary>
public readonly record struct RefreshToken(string SessionId, int Generation, string Secret)
{
    public override string ToString() => $"{SessionId}.{Generation}.{Secret}";

    public string SecretHash => Hash(Secret);

    public static RefreshToken New(RandomSource random, string sessionId, int generation) => new(sessionId, generation, random.NewSecret());

    public static bool TryParse(string? text, out RefreshToken token)
    {
        token = default;
        var parts = text?.Length <= 256 ? text.Split('.') : [];
        if (parts is [var session, var generation, var secret]
            && LifecycleKeys.IsValidId(session)
            && int.TryParse(generation, System.Globalization.NumberStyles.None, null, out var n) && n > 0
            && secret.Length == 43)
        {
            token = new RefreshToken(session, n, secret);
            return true;
        }

        return false;
    }

    public static string Hash(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
