using System.Globalization;
using System.Text.Json;

namespace Atlas.LocalHost.Configuration;

/// <summary>Case-insensitive reads over host.json: the real host matches its keys regardless of case.</summary>
internal static class JsonValues
{
    public static JsonElement? Child(JsonElement? parent, string name)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } element)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    public static string? String(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static int? Int(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.Number } number => number.GetInt32(),
        { ValueKind: JsonValueKind.String } text => int.Parse(text.GetString()!, CultureInfo.InvariantCulture),
        _ => null,
    };

    public static bool? Bool(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } text => bool.Parse(text.GetString()!),
        _ => null,
    };

    // Durations are "hh:mm:ss" strings; a bare number is milliseconds, as the Functions docs allow.
    public static TimeSpan? Duration(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.Number } number => TimeSpan.FromMilliseconds(number.GetDouble()),
        { ValueKind: JsonValueKind.String } text => TimeSpan.Parse(text.GetString()!, CultureInfo.InvariantCulture),
        _ => null,
    };
}
