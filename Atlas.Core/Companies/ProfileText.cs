using System.Text.RegularExpressions;
using Atlas.Core.Common;

namespace Atlas.Core.Companies;

/// <summary>The rules for the short texts people type into profiles: names, licence numbers, plates.</summary>
public static partial class ProfileText
{
    public const string NameRule = "A name is 1-100 characters, without control, bidirectional-override or line-separator characters.";
    public const string LicenceRule = "A licence number is 5-20 letters or digits (spaces and dashes are ignored).";
    public const string PlateRule = "A plate is 2-10 letters or digits (spaces and dashes are ignored).";

    public static string? Name(string? text) =>
        text?.Trim() is { Length: >= 1 and <= 100 } name && !FreeText.HasHiddenCharacters(name) ? name : null;

    public static string? LicenceNumber(string? text) => Compact(text, 5, 20);

    public static string? Plate(string? text) => Compact(text, 2, 10);

    /// <summary>Upper-case letters and digits without separators, so one plate has one spelling.</summary>
    private static string? Compact(string? text, int min, int max)
    {
        if (text is null || text.Length > 64)
        {
            return null;
        }

        var compact = text.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        return compact.Length >= min && compact.Length <= max && Alphanumeric().IsMatch(compact) ? compact : null;
    }

    [GeneratedRegex("^[A-Z0-9]+$")]
    private static partial Regex Alphanumeric();
}
