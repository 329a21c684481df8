using System.Text.Json;
using System.Text.Json.Nodes;

namespace Atlas.Functions.Functions;

/// <summary>
/// The Azure Functions host's view of the catalog: one function.json per function. HTTP triggers are forwarded
/// to the app as they are (enableForwardingHttpRequest); other triggers are POSTed to /{FunctionName}.
/// </summary>
public static class FunctionMetadata
{
    public const string StorageConnectionSetting = "AzureWebJobsStorage";

    /// <param name="queuePrefix">The storage name prefix (Storage:NamePrefix), which the host must see in queue names.</param>
    public static JsonObject For(FunctionDefinition function, string queuePrefix = "") => function switch
    {
        HttpFunction http => Bindings(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = "anonymous",
                ["methods"] = new JsonArray(http.Method.ToLowerInvariant()),
                ["route"] = http.Route,
            },
            new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
        QueueFunction queue => Bindings(new JsonObject
        {
            ["type"] = "queueTrigger",
            ["direction"] = "in",
            ["name"] = "message",
            ["queueName"] = queuePrefix.Length > 0 ? $"{queuePrefix}-{queue.Queue}" : queue.Queue,
            ["connection"] = StorageConnectionSetting,
        }),
        TimerFunction timer => Bindings(new JsonObject
        {
            ["type"] = "timerTrigger",
            ["direction"] = "in",
            ["name"] = "timer",
            ["schedule"] = Cron.FromInterval(timer.Every),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function.GetType().Name, "Unknown function kind."),
    };

    /// <summary>Writes &lt;dir&gt;/&lt;Name&gt;/function.json for every function; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(FunctionCatalog catalog, string directory, string queuePrefix = "")
    {
        var written = new List<string>();
        foreach (var function in catalog.All)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, function.Name));
            var path = Path.Combine(folder.FullName, "function.json");
            File.WriteAllText(path, For(function, queuePrefix).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            written.Add(path);
        }

        return written;
    }

    private static JsonObject Bindings(params JsonNode[] bindings) => new() { ["bindings"] = new JsonArray(bindings) };
}
