using System.Globalization;
using System.Text;

namespace Atlas.Functions.Stripe;

/// <summary>A form-encoded Stripe request body: nested parameters in brackets (<c>metadata[ride_id]</c>), arrays as
/// repeated keys (<c>expand[]=a&amp;expand[]=b</c>).</summary>
public sealed class StripeForm
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public StripeForm Add(string key, string? value)
    {
        if (value is not null)
        {
            _fields.Add(new(key, value));
        }

        return this;
    }

    public StripeForm Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public StripeForm Add(string key, bool value) => Add(key, value ? "true" : "false");

    /// <summary><c>parent[child]=value</c> for each pair, e.g. metadata.</summary>
    public StripeForm Nested(string parent, IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (key, value) in values)
        {
            Add($"{parent}[{key}]", value);
        }

        return this;
    }

    public StripeForm Array(string key, params string[] values)
    {
        foreach (var value in values)
        {
            Add(key + "[]", value);
        }

        return this;
    }

    public string Encode()
    {
        var body = new StringBuilder();
        foreach (var (key, value) in _fields)
        {
            body.Append(body.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return body.ToString();
    }
}
