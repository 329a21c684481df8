using System.Text.Json;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Rpc;
using Microsoft.AspNetCore.Http;

namespace Atlas.LocalHost.Http;

/// <summary>
/// The trigger metadata of an HTTP invocation: every query parameter and route value as a string (route
/// values win), plus <c>Query</c> and <c>Headers</c> as JSON. Without it a parameter bound from the route,
/// such as <c>int id</c> for <c>items/{id}</c>, is silently left at its default.
/// </summary>
internal static class HttpTriggerMetadata
{
    public static Dictionary<string, TypedData> From(HttpRequest request)
    {
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Query)
        {
            metadata[name] = TypedDataValues.String(values.ToString());
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is not null)
            {
                metadata[name] = TypedDataValues.String(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }

        metadata["Query"] = TypedDataValues.Json(JsonSerializer.Serialize(request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString())));
        metadata["Headers"] = TypedDataValues.Json(JsonSerializer.Serialize(request.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.ToString())));
        return metadata;
    }
}
