using System.Text.Json;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;
using static Atlas.LocalHost.Configuration.JsonValues;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// host.json's <c>extensions.durableTask</c> as far as the Azure Storage provider goes: the task hub, the
/// connection, and <c>storageProvider</c>'s partitions, batches, polling and visibility timeouts. Defaults are the
/// extension's, except the queue polling interval (1 s instead of 30 s: locally a quiet hub should still answer fast).
/// </summary>
internal sealed record DurableOptions
{
    public string HubName { get; init; } = "TestHubName";

    /// <summary>The setting holding the storage connection string.</summary>
    public string ConnectionName { get; init; } = "AzureWebJobsStorage";

    public int PartitionCount { get; init; } = 4;

    public int ControlQueueBatchSize { get; init; } = 32;

    public int? ControlQueueBufferThreshold { get; init; }

    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan? ControlQueueVisibilityTimeout { get; init; }

    public TimeSpan? WorkItemQueueVisibilityTimeout { get; init; }

    /// <summary>A start with the id of an instance still running is refused (the extension's default,
    /// <c>overridableExistingInstanceStates: NonRunningStates</c>); with <c>AnyState</c> it replaces it.</summary>
    public bool ReplaceFinishedInstancesOnly { get; init; } = true;

    /// <summary>An orchestration that has run stays in memory for a while, so its next episode needs no read of its
    /// history (<c>extendedSessionsEnabled</c>; off by default, as in the extension).</summary>
    public bool ExtendedSessionsEnabled { get; init; }

    public TimeSpan ExtendedSessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxConcurrentActivityFunctions { get; init; } = 10 * Environment.ProcessorCount;

    public int MaxConcurrentOrchestratorFunctions { get; init; } = 10 * Environment.ProcessorCount;

    public static DurableOptions Read(JsonElement? durableTask)
    {
        var defaults = new DurableOptions();
        var storage = Child(durableTask, "storageProvider");
        return new DurableOptions
        {
            HubName = String(durableTask, "hubName") ?? defaults.HubName,
            ConnectionName = String(storage, "connectionName") ?? String(storage, "connectionStringName") ?? defaults.ConnectionName,
            PartitionCount = Int(storage, "partitionCount") ?? defaults.PartitionCount,
            ControlQueueBatchSize = Int(storage, "controlQueueBatchSize") ?? defaults.ControlQueueBatchSize,
            ControlQueueBufferThreshold = Int(storage, "controlQueueBufferThreshold"),
            MaxQueuePollingInterval = Duration(storage, "maxQueuePollingInterval") ?? defaults.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = Duration(storage, "controlQueueVisibilityTimeout"),
            WorkItemQueueVisibilityTimeout = Duration(storage, "workItemQueueVisibilityTimeout"),
            ReplaceFinishedInstancesOnly = !string.Equals(String(durableTask, "overridableExistingInstanceStates"), "AnyState", StringComparison.OrdinalIgnoreCase),
            ExtendedSessionsEnabled = Bool(durableTask, "extendedSessionsEnabled") ?? defaults.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = Int(durableTask, "extendedSessionIdleTimeoutInSeconds") is { } idle ? TimeSpan.FromSeconds(idle) : defaults.ExtendedSessionIdleTimeout,
            MaxConcurrentActivityFunctions = Int(durableTask, "maxConcurrentActivityFunctions") ?? defaults.MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestratorFunctions = Int(durableTask, "maxConcurrentOrchestratorFunctions") ?? defaults.MaxConcurrentOrchestratorFunctions,
        };
    }

    public AzureStorageOrchestrationServiceSettings ToSettings(string hubName, StorageAccountClientProvider storage, string workerId, ILoggerFactory loggerFactory)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hubName,
            StorageAccountClientProvider = storage,
            WorkerId = workerId,
            PartitionCount = PartitionCount,
            ControlQueueBatchSize = ControlQueueBatchSize,
            MaxQueuePollingInterval = MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = ExtendedSessionIdleTimeout,
            LoggerFactory = loggerFactory,

            // The app lease keeps a second app on the same hub (a deployment slot) idle; one local host has no
            // rival, and skipping it saves a lease round at every start.
            UseAppLease = false,

            // As the extension sets it: a refused start is an error the client sees, not a silent no-op.
            ThrowExceptionOnInvalidDedupeStatus = true,
        };

        settings.ControlQueueBufferThreshold = ControlQueueBufferThreshold ?? settings.ControlQueueBufferThreshold;
        settings.ControlQueueVisibilityTimeout = ControlQueueVisibilityTimeout ?? settings.ControlQueueVisibilityTimeout;
        settings.WorkItemQueueVisibilityTimeout = WorkItemQueueVisibilityTimeout ?? settings.WorkItemQueueVisibilityTimeout;
        return settings;
    }
}
