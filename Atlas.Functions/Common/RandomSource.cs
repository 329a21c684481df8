using System.Buffers.Text;
using System.Security.Cryptography;

namespace Atlas.Functions.Common;

/// <summary>The one place ids, codes and secrets come from: a cryptographic generator.</summary>
public sealed class RandomSource
{
    /// <summary>An id such as "usr_1hX…": the prefix says what it names, 128 random bits make it unguessable.</summary>
    public string NewId(string prefix) => prefix + "_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>256 random bits as base64url: refresh token secrets.</summary>
    public string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Decimal digits, each uniformly distributed (no modulo bias).</summary>
    public string NewDigits(int count) =>
        string.Create(count, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            }
        });

    /// <summary>A uniform fraction in [0, 1): jitter for retry delays.</summary>
    public double NewFraction() => RandomNumberGenerator.GetInt32(1 << 30) / (double)(1 << 30);

    public byte[] NewBytes(int count) => RandomNumberGenerator.GetBytes(count);
}
