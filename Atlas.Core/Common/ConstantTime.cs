using System.Security.Cryptography;
using System.Text;

namespace Atlas.Core.Common;

/// <summary>Compares secrets (code and token hashes) without leaking through timing how much of them matched.</summary>
public static class ConstantTime
{
    public static bool AreEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
