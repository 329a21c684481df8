using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>Every declared function gets function.json metadata the Functions host can load.</summary>
public sealed partial class FunctionMetadataTests : IClassFixture<AtlasAppFactory>
{
    private readonly FunctionCatalog _catalog;

    public FunctionMetadataTests(AtlasAppFactory app) => _catalog = app.Services.GetRequiredService<FunctionCatalog>();

    [Fact]
    public void The_catalog_declares_the_apps_functions()
    {
        var names = _catalog.All.Select(f => f.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "Health", "GetLifecycle", "OpenApi", "TimerScan", "Effects" }, names);
    }

    [Fact]
    public void Every_declared_function_gets_one_function_json_with_exactly_one_trigger()
    {
        var directory = Directory.CreateTempSubdirectory("atlas-metadata-").FullName;
        try
        {
            var written = FunctionMetadata.WriteAll(_catalog, directory);

            Assert.Equal(_catalog.All.Count, written.Count);
            foreach (var function in _catalog.All)
            {
                var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, function.Name, "function.json"))).RootElement;
                var bindings = json.GetProperty("bindings").EnumerateArray().ToList();
                var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
                Assert.Equal("in", trigger.GetProperty("direction").GetString());
                Assert.False(string.IsNullOrEmpty(trigger.GetProperty("name").GetString()));
                AssertTriggerFits(function, trigger, bindings);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertTriggerFits(FunctionDefinition function, JsonElement trigger, List<JsonElement> bindings)
    {
        switch (function)
        {
            case HttpFunction http:
                Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal([http.Method.ToLowerInvariant()], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
                Assert.Equal(http.Route, trigger.GetProperty("route").GetString());
                Assert.DoesNotContain("api/", http.Route, StringComparison.Ordinal); // host.json adds the prefix
                Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "out");
                break;
            case QueueFunction queue:
                Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(queue.Queue, trigger.GetProperty("queueName").GetString());
                Assert.Matches(QueueName(), queue.Queue);
                Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
                break;
            case TimerFunction:
                Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(6, trigger.GetProperty("schedule").GetString()!.Split(' ').Length);
                break;
            default:
                Assert.Fail($"{function.Name} is of an unknown kind");
                break;
        }
    }

    [Fact]
    public void A_storage_name_prefix_reaches_the_queue_names_the_host_watches()
    {
        var queue = _catalog.All.OfType<QueueFunction>().First();

        var json = FunctionMetadata.For(queue, "staging");

        Assert.Equal($"staging-{queue.Queue}", json["bindings"]![0]!["queueName"]!.GetValue<string>());
    }

    [Fact]
    public void A_function_declared_twice_is_refused()
    {
        var catalog = new FunctionCatalog().Http("Ping", "GET", "ping", Access.Anyone, () => "pong");

        Assert.Throws<ArgumentException>(() => catalog.Http("ping", "GET", "ping2", Access.Anyone, () => "pong"));
    }

    [Fact]
    public void A_name_the_host_cannot_use_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new FunctionCatalog().Http("has space", "GET", "x", Access.Anyone, () => "x"));
    }

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
