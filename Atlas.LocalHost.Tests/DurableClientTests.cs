using Atlas.LocalHost.Tests.Infrastructure;
using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Atlas.LocalHost.Tests;

/// <summary>The Durable client API answers as the Functions host's Durable extension does on the Azure Storage provider.</summary>
[Collection(HostCollection.Name)]
public sealed class DurableClientTests(HostFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_start_with_the_id_of_a_running_instance_is_refused_whatever_reuse_policy_the_client_asks_for()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var instanceId = NewId();
        await client.ScheduleNewOrchestrationInstanceAsync(Greeting, new { Name = "Ada", WaitSeconds = 60 }, new StartOrchestrationOptions(instanceId));
        await Orchestrations.WaitForRunningAsync(client, instanceId, Deadline);

        // No dedupe statuses: the client asks to replace whatever is there; the Functions host refuses all the same
        // (the gRPC status AlreadyExists, as the client surfaces it).
        var again = await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => client.ScheduleNewOrchestrationInstanceAsync(
            Greeting, new { Name = "Eve", WaitSeconds = 0 }, new StartOrchestrationOptions(instanceId).WithDedupeStatuses()));

        Assert.Contains(instanceId, again.Message, StringComparison.Ordinal);
        Assert.Contains("Ada", (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))!.SerializedInput, StringComparison.Ordinal);
        await client.TerminateInstanceAsync(instanceId);
    }

    [Fact]
    public async Task A_start_with_the_id_of_a_finished_instance_replaces_it()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var instanceId = NewId();
        await client.ScheduleNewOrchestrationInstanceAsync(Greeting, new { Name = "Ada", WaitSeconds = 0 }, new StartOrchestrationOptions(instanceId));
        Assert.Equal("Hello, Ada, after waiting!", (await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline)).ReadOutputAs<string>());

        await client.ScheduleNewOrchestrationInstanceAsync(Greeting, new { Name = "Eve", WaitSeconds = 0 }, new StartOrchestrationOptions(instanceId));

        var second = await Orchestrations.WaitForAsync(
            client, instanceId, instance => instance.IsCompleted && instance.SerializedInput!.Contains("Eve", StringComparison.Ordinal), Deadline);
        Assert.Equal("Hello, Eve, after waiting!", second.ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_event_for_an_instance_that_does_not_exist_is_dropped_and_one_for_a_finished_instance_fails()
    {
        await using var client = fixture.Host.CreateDurableClient();
        await client.RaiseEventAsync(NewId(), "Approve", "nobody");

        var instanceId = NewId();
        await client.ScheduleNewOrchestrationInstanceAsync(Greeting, new { Name = "Ada", WaitSeconds = 0 }, new StartOrchestrationOptions(instanceId));
        await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        var late = await Assert.ThrowsAsync<RpcException>(() => client.RaiseEventAsync(instanceId, "Approve", "too late"));
        Assert.Equal(StatusCode.Unknown, late.StatusCode);
    }

    [Fact]
    public async Task An_orchestration_that_continues_as_new_starts_over_with_a_fresh_history_until_it_finishes()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var before = fixture.Host.DurableActivity!;

        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync("Countdown", 3);
        var done = await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("lift-off", done.ReadOutputAs<string>());
        Assert.Equal("0", done.SerializedInput);

        // Four executions, an episode each (other tests may add theirs meanwhile); and the engine's storage calls counted.
        var after = fixture.Host.DurableActivity!;
        Assert.True(after.Episodes - before.Episodes >= 4, $"{after.Episodes - before.Episodes} episodes");
        Assert.True(after.TotalStorageCalls > before.TotalStorageCalls);
        Assert.Contains(after.StorageCalls.Keys, kind => kind.StartsWith("table ", StringComparison.Ordinal) && kind.Contains("History", StringComparison.Ordinal));
        Assert.Contains(after.StorageCalls.Keys, kind => kind.StartsWith("queue GET control", StringComparison.Ordinal));
    }

    private const string Greeting = "Greeting";

    private static string NewId() => "test-" + Guid.NewGuid().ToString("N");
}
