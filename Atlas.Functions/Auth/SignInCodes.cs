using System.Security.Cryptography;
using System.Text;
using Atlas.Functions.Common;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Auth;

/// <summary>
/// Sign-in codes: six random digits, kept only as an HMAC-SHA256 under the server's code key (bound to the
/// challenge id, so a hash is worth nothing for another challenge). The copy the SMS needs travels sealed with
/// AES-GCM under a key derived from the same secret, so the outbox and the queue hold nothing usable either.
/// </summary>
public sealed class SignInCodes
{
    public const int Length = 6;

    private readonly byte[] _hashKey;
    private readonly byte[] _sealKey;
    private readonly RandomSource _random;

    public SignInCodes(IOptions<AuthOptions> options, RandomSource random)
    {
        var secret = AuthOptionsValidation.Decode(options.Value.CodeKey);
        _hashKey = HMACSHA256.HashData(secret, "atlas sign-in code hash"u8);
        _sealKey = HMACSHA256.HashData(secret, "atlas sign-in code seal"u8);
        _random = random;
    }

    public string NewCode() => _random.NewDigits(Length);

    public static bool IsWellFormed(string? code) => code is { Length: Length } && code.All(char.IsAsciiDigit);

    public string Hash(string challengeId, string code) =>
        Convert.ToBase64String(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(challengeId + ":" + code)));

    public string Seal(string challengeId, string code)
    {
        var nonce = _random.NewBytes(AesGcm.NonceByteSizes.MaxSize);
        var plain = Encoding.UTF8.GetBytes(code);
        var sealedBytes = new byte[nonce.Length + plain.Length + AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(_sealKey, AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(
            nonce,
            plain,
            sealedBytes.AsSpan(nonce.Length, plain.Length),
            sealedBytes.AsSpan(nonce.Length + plain.Length),
            Encoding.UTF8.GetBytes(challengeId));
        nonce.CopyTo(sealedBytes, 0);
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Opens a sealed code; throws if it was sealed for another challenge or altered.</summary>
    public string Open(string challengeId, string sealedCode)
    {
        var bytes = Convert.FromBase64String(sealedCode);
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[bytes.Length - nonceSize - tagSize];
        using var aes = new AesGcm(_sealKey, tagSize);
        aes.Decrypt(
            bytes.AsSpan(0, nonceSize),
            bytes.AsSpan(nonceSize, plain.Length),
            bytes.AsSpan(nonceSize + plain.Length),
            plain,
            Encoding.UTF8.GetBytes(challengeId));
        return Encoding.UTF8.GetString(plain);
    }
}
