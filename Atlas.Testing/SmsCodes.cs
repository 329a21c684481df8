using System.Text.RegularExpressions;

namespace Atlas.Testing;

/// <summary>Reads a sign-in code out of a text, as a person would.</summary>
public static partial class SmsCodes
{
    public static string In(string body) => Code().Match(body).Value;

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex Code();
}
