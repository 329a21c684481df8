using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Functions.Http;

/// <summary>How request and response bodies are read and written: camelCase, and strict about what comes in.</summary>
public static class AtlasJson
{
    public static JsonSerializerOptions Options { get; } = Strict(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    });

    /// <summary>The rules a request body is held to.</summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options)
    {
        options.Converters.Add(new StrictEnumConverter());

        // A field the endpoint does not know is refused, not ignored: a body that tries to set a role or a status
        // gets a 400 naming it instead of silently doing less than the caller meant.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

        // A number is a JSON number: "1000" in quotes is a wrong type, not an amount (the web default reads it).
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
