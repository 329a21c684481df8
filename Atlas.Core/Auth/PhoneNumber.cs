namespace Atlas.Core.Auth;

/// <summary>A phone number in E.164 form: '+', a country code that does not start with 0, at most 15 digits.</summary>
public readonly record struct PhoneNumber
{
    public const string Rule = "A phone number in E.164 form, such as +447700900123 (spaces and dashes are allowed).";

    private PhoneNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>The digits alone, usable as a storage key.</summary>
    public string Digits => Value[1..];

    /// <summary>Accepts E.164 with spaces and dashes between digits; anything else (letters, brackets, a
    /// national number without '+') is refused rather than guessed at.</summary>
    public static bool TryParse(string? text, out PhoneNumber phone)
    {
        phone = default;
        if (text is null || text.Length > 32)
        {
            return false;
        }

        var normalised = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (normalised.Length is < 9 or > 16 || normalised[0] != '+' || normalised[1] == '0'
            || !normalised.AsSpan(1).ContainsOnlyDigits())
        {
            return false;
        }

        phone = new PhoneNumber(normalised);
        return true;
    }

    /// <summary>A number this system stored itself, so already valid.</summary>
    public static PhoneNumber FromStored(string e164) =>
        TryParse(e164, out var phone) ? phone : throw new ArgumentException($"'{e164}' is not an E.164 number.", nameof(e164));

    public override string ToString() => Value;
}

internal static class SpanDigits
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');
}
