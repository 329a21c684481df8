using Atlas.Testing;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>Settings for hosts that run Durable functions: the shared Azurite (DTFx's Azure Storage provider uses its
/// blobs for leases and large messages, its queues and tables for the rest), and a task hub of the host's own.</summary>
public static class DurableStorage
{
    public static Dictionary<string, string> Settings(string taskHub) => new()
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub,
    };

    /// <summary>A task hub name of its own (letters and digits, starting with a letter).</summary>
    public static string NewTaskHub() => "hub" + Guid.NewGuid().ToString("N")[..12];
}
