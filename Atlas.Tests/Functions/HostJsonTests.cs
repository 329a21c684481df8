using System.Text.Json;
using Atlas.Functions.Telemetry;
using Atlas.Testing;

namespace Atlas.Tests.Functions;

/// <summary>host.json is an isolated worker's: the worker brings its own extensions, routes sit under /api, and the
/// queue triggers retry and poison as the app expects.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonElement HostJson =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "host.json"))).RootElement;

    [Fact]
    public void It_is_a_version_2_host_json_without_a_custom_handler_or_an_extension_bundle()
    {
        Assert.Equal("2.0", HostJson.GetProperty("version").GetString());
        Assert.False(HostJson.TryGetProperty("customHandler", out _));
        Assert.False(HostJson.TryGetProperty("extensionBundle", out _));
    }

    [Fact]
    public void The_host_sends_its_telemetry_through_OpenTelemetry_as_the_worker_does() =>
        Assert.Equal("OpenTelemetry", HostJson.GetProperty("telemetryMode").GetString());

    [Fact]
    public void Its_routes_are_under_api_and_its_queue_triggers_read_base64_and_poison_after_five_failures()
    {
        var extensions = HostJson.GetProperty("extensions");
        var queues = extensions.GetProperty("queues");

        Assert.Equal("api", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(PoisonedMessages.HostJsonMaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(5), TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
