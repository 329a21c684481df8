using System.Globalization;
using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

/// <summary>A form-encoded request body (or query), with Stripe's bracket keys: <c>metadata[ride_id]</c>, and arrays as
/// <c>expand[]=a&amp;expand[]=b</c> or, as Stripe.net sends them, <c>expand[0]=a&amp;expand[1]=b</c>.</summary>
public sealed class Form(IReadOnlyDictionary<string, string[]> values)
{
    public string? Optional(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? v[^1] : null;

    /// <summary>Every value of an array parameter, in order.</summary>
    public string[] Array(string key) =>
    [
        .. values.GetValueOrDefault(key + "[]") ?? [],
        .. values
            .Where(p => p.Key.StartsWith(key + "[", StringComparison.Ordinal) && p.Key.EndsWith(']')
                && int.TryParse(p.Key.AsSpan(key.Length + 1, p.Key.Length - key.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(p => int.Parse(p.Key.AsSpan(key.Length + 1, p.Key.Length - key.Length - 2), CultureInfo.InvariantCulture))
            .SelectMany(p => p.Value),
    ];

    public string Required(string key) => Optional(key) is { Length: > 0 } value
        ? value
        : throw StripeError.Invalid($"Missing required param: {key}.", key, "parameter_missing");

    public long Amount(string key) => long.TryParse(Required(key), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0
        ? amount
        : throw StripeError.Invalid($"Invalid positive integer: {key}", key, "parameter_invalid_integer");

    public JsonObject Metadata()
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in values.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal) && p.Key.EndsWith(']')))
        {
            var name = key["metadata[".Length..^1];
            if (name.Length > 40 || value[^1].Length > 500)
            {
                throw StripeError.Invalid("Metadata keys are at most 40 characters and values at most 500.", key);
            }

            metadata[name] = value[^1];
        }

        return metadata.Count > 50 ? throw StripeError.Invalid("Metadata holds at most 50 keys.", "metadata") : metadata;
    }

    public string Fingerprint => string.Join('&', values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + string.Join(',', p.Value)));
}
