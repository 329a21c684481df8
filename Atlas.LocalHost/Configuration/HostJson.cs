using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.LocalHost.Durable;
using Atlas.LocalHost.Queues;
using Microsoft.Extensions.Logging;
using static Atlas.LocalHost.Configuration.JsonValues;

namespace Atlas.LocalHost.Configuration;

/// <summary>The parts of the app's host.json that the local host honours.</summary>
internal sealed record HostJson(string RoutePrefix, QueuesOptions Queues, DurableOptions Durable, IReadOnlyDictionary<string, LogLevel> LogLevels)
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static HostJson Load(string appDirectory, AppSettings settings)
    {
        var path = Path.Combine(appDirectory, "host.json");
        var json = JsonNode.Parse(File.Exists(path) ? File.ReadAllText(path) : "{}", documentOptions: JsonOptions)!.AsObject();
        foreach (var (keys, value) in settings.HostJsonOverrides())
        {
            var node = json;
            foreach (var key in keys[..^1])
            {
                node = node.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value as JsonObject
                    ?? (JsonObject)(node[key] = new JsonObject());
            }

            var existing = node.FirstOrDefault(p => string.Equals(p.Key, keys[^1], StringComparison.OrdinalIgnoreCase)).Key;
            node[existing ?? keys[^1]] = value;
        }

        return Parse(json.ToJsonString());
    }

    public static HostJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json, JsonOptions);
        var root = document.RootElement;
        var extensions = Child(root, "extensions");

        return new HostJson(
            RoutePrefix: ReadRoutePrefix(Child(extensions, "http")),
            Queues: ReadQueues(Child(extensions, "queues")),
            Durable: DurableOptions.Read(Child(extensions, "durableTask")),
            LogLevels: ReadLogLevels(Child(Child(root, "logging"), "logLevel")));
    }

    private static string ReadRoutePrefix(JsonElement? http)
    {
        // An explicit "" is allowed and means routes sit at the root.
        var prefix = String(http, "routePrefix") ?? "api";
        return prefix.Trim('/');
    }

    private static QueuesOptions ReadQueues(JsonElement? queues)
    {
        var defaults = new QueuesOptions();
        return new QueuesOptions
        {
            BatchSize = Int(queues, "batchSize") ?? defaults.BatchSize,
            NewBatchThreshold = Int(queues, "newBatchThreshold"),
            MaxDequeueCount = Int(queues, "maxDequeueCount") ?? defaults.MaxDequeueCount,
            MaxPollingInterval = Duration(queues, "maxPollingInterval") ?? defaults.MaxPollingInterval,
            VisibilityTimeout = Duration(queues, "visibilityTimeout") ?? defaults.VisibilityTimeout,
            MessageEncoding = String(queues, "messageEncoding") is { } encoding
                ? QueuesOptions.ParseEncoding(encoding)
                : defaults.MessageEncoding,
        }.Validate();
    }

    private static Dictionary<string, LogLevel> ReadLogLevels(JsonElement? logLevel)
    {
        var levels = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        if (logLevel is { ValueKind: JsonValueKind.Object } element)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (Enum.TryParse<LogLevel>(property.Value.GetString(), ignoreCase: true, out var level))
                {
                    levels[property.Name] = level;
                }
            }
        }

        return levels;
    }
}
