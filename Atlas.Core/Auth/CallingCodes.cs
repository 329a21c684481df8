namespace Atlas.Core.Auth;

/// <summary>
/// The calling codes sign-in texts may go to, from a setting such as <c>44,33,1,!1876</c>. A number belongs to the
/// longest listed prefix it starts with, and that prefix is what its texts are counted under; an entry with '!' carves
/// a part out of a wider one (+1 876, Jamaica, out of +1: the NANP spans some 25 countries).
/// </summary>
public sealed class CallingCodes
{
    /// <summary>Keeps a counter row's properties (two per calling code) well within the 252 a table row holds.</summary>
    public const int MaxEntries = 100;

    private readonly Dictionary<string, bool> _entries;

    private CallingCodes(Dictionary<string, bool> entries) => _entries = entries;

    /// <summary>The allowed codes, without the carved-out parts, shortest first: "+1, +33, +44".</summary>
    public IReadOnlyList<string> Allowed => [.. _entries.Where(e => e.Value).Select(e => e.Key).Order(StringComparer.Ordinal)];

    /// <summary>What a refused number is told: the field's rule.</summary>
    public string Rule => $"Sign-in codes are texted only to numbers with the calling code {string.Join(", ", Allowed.Select(c => "+" + c))}.";

    /// <summary>Digits of 1 to 7 (a country code and, to carve out, an area), separated by commas; '!' before one
    /// refuses it inside a wider one. At least one allowed.</summary>
    public static bool TryParse(string? text, out CallingCodes codes)
    {
        codes = new([]);
        var entries = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var excluded = item.StartsWith('!');
            var digits = excluded ? item[1..] : item;
            if (digits.Length is < 1 or > 7 || digits[0] == '0' || !digits.AsSpan().ContainsOnlyDigits() || !entries.TryAdd(digits, !excluded))
            {
                return false;
            }
        }

        codes = new(entries);
        return entries.ContainsValue(true) && entries.Count <= MaxEntries;
    }

    /// <summary>The listed code the number is texted under, or null when texts may not go to it.</summary>
    public string? Find(PhoneNumber phone)
    {
        var digits = phone.Digits;
        for (var length = Math.Min(7, digits.Length); length >= 1; length--)
        {
            if (_entries.TryGetValue(digits[..length], out var allowed))
            {
                return allowed ? digits[..length] : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The number's country calling code (ITU-T E.164), for telling operators where refused texts were headed. Country
    /// codes are prefix-free: 1 and 7 stand alone, the two-digit ones are listed, every other code has three digits.
    /// </summary>
    public static string CountryOf(PhoneNumber phone)
    {
        var digits = phone.Digits;
        return digits[0] is '1' or '7' ? digits[..1]
            : TwoDigitCodes.Contains(digits[..2]) ? digits[..2]
            : digits[..3];
    }

    private static readonly HashSet<string> TwoDigitCodes =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    ];
}
