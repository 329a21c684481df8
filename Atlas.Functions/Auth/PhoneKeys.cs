using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Auth;

/// <summary>
/// A phone as a storage key that does not show it: an HMAC-SHA256 under a key derived from the server's code key. A
/// plain hash would not do: there are few enough phone numbers to hash them all.
/// </summary>
public sealed class PhoneKeys(IOptions<AuthOptions> options)
{
    private readonly byte[] _key = HMACSHA256.HashData(AuthOptionsValidation.Decode(options.Value.CodeKey), "atlas phone key"u8);

    public string Of(string phone) => Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(phone)));
}
