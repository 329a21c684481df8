using System.Text.Json;
using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Functions;

/// <summary>One function as the worker indexed it: its id, its trigger, and the metadata to echo in FunctionLoadRequest.</summary>
internal sealed record FunctionDescriptor(string Name, string FunctionId, TriggerBinding Trigger, RpcFunctionMetadata Metadata)
{
    public static FunctionDescriptor FromMetadata(RpcFunctionMetadata metadata)
    {
        var trigger = metadata.RawBindings
            .Select(binding => ParseTrigger(metadata.Name, binding))
            .OfType<TriggerBinding>()
            .FirstOrDefault()
            ?? throw new InvalidDataException($"Function '{metadata.Name}' declares no trigger binding.");

        return new FunctionDescriptor(metadata.Name, metadata.FunctionId, trigger, metadata);
    }

    private static TriggerBinding? ParseTrigger(string functionName, string rawBinding)
    {
        using var document = JsonDocument.Parse(rawBinding);
        var binding = new RawBinding(document.RootElement);
        var type = binding.String("type") ?? string.Empty;
        if (!type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = binding.String("name") ?? string.Empty;
        return type.ToUpperInvariant() switch
        {
            "HTTPTRIGGER" => new HttpTriggerBinding(name, binding.String("route"), binding.Strings("methods")),
            "QUEUETRIGGER" => new QueueTriggerBinding(
                name,
                binding.String("queueName") ?? throw new InvalidDataException($"Queue trigger '{name}' has no queueName."),
                binding.String("connection"),
                binding.String("dataType"),
                string.Equals(binding.Property("supportsDeferredBinding"), "true", StringComparison.OrdinalIgnoreCase)),
            "TIMERTRIGGER" => new TimerTriggerBinding(
                name,
                binding.String("schedule") ?? throw new InvalidDataException($"Timer trigger '{name}' has no schedule."),
                binding.Bool("runOnStartup")),
            "ORCHESTRATIONTRIGGER" => new OrchestrationTriggerBinding(name, binding.String("orchestration") is { Length: > 0 } orchestration ? orchestration : functionName),
            "ACTIVITYTRIGGER" => new ActivityTriggerBinding(name, binding.String("activity") is { Length: > 0 } activity ? activity : functionName),
            _ => new UnsupportedTriggerBinding(name, type),
        };
    }

    /// <summary>Case-insensitive reads over one raw binding: the SDK and hand-written function.json differ in casing.</summary>
    private readonly struct RawBinding(JsonElement element)
    {
        public string? String(string name) =>
            Find(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

        public bool Bool(string name) => Find(element, name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.String } text => bool.TryParse(text.GetString(), out var value) && value,
            _ => false,
        };

        public IReadOnlyList<string> Strings(string name) =>
            Find(element, name) is { ValueKind: JsonValueKind.Array } array
                ? [.. array.EnumerateArray().Select(item => item.GetString()).OfType<string>()]
                : [];

        /// <summary>An entry of the binding's "properties" bag (the SDK writes flags such as supportsDeferredBinding there).</summary>
        public string? Property(string name) =>
            Find(element, "properties") is { ValueKind: JsonValueKind.Object } properties
                && Find(properties, name) is { } value
                ? value.ToString()
                : null;

        private static JsonElement? Find(JsonElement parent, string name)
        {
            foreach (var property in parent.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }

            return null;
        }
    }
}
