using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Functions.Lifecycles;

/// <summary>The one JSON shape for stored state, effects and queue messages: camelCase, enums as strings.</summary>
public static class LifecycleJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
