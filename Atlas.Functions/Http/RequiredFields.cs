using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Atlas.Functions.Http;

/// <summary>
/// The fields a request body must give: a property its record marks <see cref="RequiredAttribute"/>, at any depth, is
/// present and not null. Checked as the body is read (<see cref="BodyAttribute"/>), so a function may rely on it and the
/// OpenAPI document's <c>required</c> is true; what a given value must be is the function's rule. A field that may be
/// left out, or set to null for a default, is not marked.
/// </summary>
public static class RequiredFields
{
    /// <summary>Each required field the body leaves out or sets to null, by its path (<c>pickup.lat</c>), with its rule.</summary>
    public static Dictionary<string, string[]> Missing(object body, JsonSerializerOptions options)
    {
        var missing = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Collect(body, "", options, missing);
        return missing;
    }

    private static void Collect(object value, string prefix, JsonSerializerOptions options, Dictionary<string, string[]> missing)
    {
        var type = options.GetTypeInfo(value.GetType());
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            var field = prefix + property.Name;
            if (property.Get?.Invoke(value) is { } given)
            {
                Collect(given, field + ".", options, missing);
            }
            else if (property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
            {
                var described = property.AttributeProvider.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).OfType<DescriptionAttribute>().FirstOrDefault();
                missing[field] = [described is null ? $"{field} is required." : $"{field} is required: {described.Description}"];
            }
        }
    }
}
