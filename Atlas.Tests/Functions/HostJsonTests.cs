using System.Text.Json;
using Atlas.Functions.Queues;
using Atlas.Testing;

namespace Atlas.Tests.Functions;

/// <summary>host.json makes the publish folder a custom-handler Functions app that matches standalone mode.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonElement HostJson =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "host.json"))).RootElement;

    [Fact]
    public void It_starts_the_app_as_a_custom_handler_with_http_forwarding()
    {
        var handler = HostJson.GetProperty("customHandler");

        Assert.Equal("2.0", HostJson.GetProperty("version").GetString());
        Assert.Equal("Atlas.Functions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", HostJson.GetProperty("extensionBundle").GetProperty("id").GetString());
    }

    [Fact]
    public void Its_routes_and_queue_retries_match_standalone_mode()
    {
        var extensions = HostJson.GetProperty("extensions");
        var defaults = new QueueOptions();

        Assert.Equal("api", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(defaults.MaxDequeueCount, extensions.GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(defaults.RetryDelay, TimeSpan.Parse(extensions.GetProperty("queues").GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(defaults.BatchSize, extensions.GetProperty("queues").GetProperty("batchSize").GetInt32());
    }
}
