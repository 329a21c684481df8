using Atlas.LocalHost.Configuration;

namespace Atlas.LocalHost.Tests;

/// <summary>host.json's <c>extensions.durableTask</c> as the local host reads it, with the extension's defaults where
/// it is silent (except the polling interval, 1 s here against Azure's 30 s).</summary>
public sealed class DurableOptionsTests
{
    [Fact]
    public void Every_setting_the_host_uses_is_read_from_host_json()
    {
        var durable = HostJson.Parse("""
            {
              "version": "2.0",
              "extensions": {
                "durableTask": {
                  "hubName": "%HubSetting%",
                  "maxConcurrentActivityFunctions": 3,
                  "maxConcurrentOrchestratorFunctions": 2,
                  "overridableExistingInstanceStates": "AnyState",
                  "extendedSessionsEnabled": true,
                  "extendedSessionIdleTimeoutInSeconds": 12,
                  "storageProvider": {
                    "connectionName": "DurableStorage",
                    "partitionCount": 2,
                    "controlQueueBatchSize": 8,
                    "controlQueueBufferThreshold": 64,
                    "maxQueuePollingInterval": "00:00:00.250",
                    "controlQueueVisibilityTimeout": "00:01:00",
                    "workItemQueueVisibilityTimeout": "00:02:00"
                  }
                }
              }
            }
            """).Durable;

        Assert.Equal("%HubSetting%", durable.HubName);
        Assert.Equal("DurableStorage", durable.ConnectionName);
        Assert.Equal((2, 8, 64), (durable.PartitionCount, durable.ControlQueueBatchSize, durable.ControlQueueBufferThreshold));
        Assert.Equal(TimeSpan.FromMilliseconds(250), durable.MaxQueuePollingInterval);
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)), (durable.ControlQueueVisibilityTimeout, durable.WorkItemQueueVisibilityTimeout));
        Assert.Equal((3, 2), (durable.MaxConcurrentActivityFunctions, durable.MaxConcurrentOrchestratorFunctions));
        Assert.False(durable.ReplaceFinishedInstancesOnly);
        Assert.Equal((true, TimeSpan.FromSeconds(12)), (durable.ExtendedSessionsEnabled, durable.ExtendedSessionIdleTimeout));
    }

    [Fact]
    public void Without_a_durableTask_section_the_extensions_defaults_apply()
    {
        var durable = HostJson.Parse("""{ "version": "2.0" }""").Durable;

        Assert.Equal(("TestHubName", "AzureWebJobsStorage"), (durable.HubName, durable.ConnectionName));
        Assert.Equal((4, 32), (durable.PartitionCount, durable.ControlQueueBatchSize));
        Assert.Equal(TimeSpan.FromSeconds(1), durable.MaxQueuePollingInterval);
        Assert.True(durable.ReplaceFinishedInstancesOnly);
        Assert.Equal((false, TimeSpan.FromSeconds(30)), (durable.ExtendedSessionsEnabled, durable.ExtendedSessionIdleTimeout));
        Assert.Equal(10 * Environment.ProcessorCount, durable.MaxConcurrentOrchestratorFunctions);
    }
}
