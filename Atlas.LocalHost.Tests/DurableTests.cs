using System.Diagnostics;
using Atlas.LocalHost.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests;

[Collection(HostCollection.Name)]
public sealed class DurableTests(HostFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_orchestration_started_over_http_waits_for_its_timer_then_completes_with_the_activity_output()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var started = Stopwatch.StartNew();

        var instanceId = await Orchestrations.StartGreetingAsync(fixture.Http, "Ada", waitSeconds: 1.5);
        var running = await Orchestrations.WaitForRunningAsync(client, instanceId, Deadline);
        var firstRun = started.Elapsed;
        var completed = await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal("Hello, Ada, after waiting!", completed.ReadOutputAs<string>());
        Assert.Equal("Greeting", completed.Name);
        output.WriteLine($"Started → first orchestrator run seen {firstRun.TotalMilliseconds:0} ms; 1.5 s timer → completed seen {started.Elapsed.TotalMilliseconds:0} ms; "
            + $"created {running.CreatedAt:HH:mm:ss.fff}, last updated {completed.LastUpdatedAt:HH:mm:ss.fff}");
    }

    [Fact]
    public async Task An_external_event_ends_the_wait_early()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var instanceId = await Orchestrations.StartGreetingAsync(fixture.Http, "Grace", waitSeconds: 60);
        await Orchestrations.WaitForRunningAsync(client, instanceId, Deadline);

        var raised = Stopwatch.StartNew();
        using var approve = await fixture.Http.PostAsync($"api/greetings/{instanceId}/approve?by=Alan", content: null);
        approve.EnsureSuccessStatusCode();
        var completed = await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal("Hello, Grace, approved by Alan!", completed.ReadOutputAs<string>());
        output.WriteLine($"Event raised → completion seen in {raised.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_failing_activity_fails_the_orchestration_with_the_activitys_exception()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var instanceId = await Orchestrations.StartGreetingAsync(fixture.Http, "Edsger", waitSeconds: 0, fail: true);

        var failed = await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        // The Azure Storage provider keeps a failed instance's message as its output (its status has no FailureDetails,
        // in Azure as here). The activity's exception reached the orchestrator with its type and message, as the host
        // read them from the worker: the message is in the output, the type in the custom status the sample sets.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains($"Task 'Greet' (#1) failed with an unhandled exception: Cannot greet Edsger (asked to fail, instance {instanceId}).", failed.SerializedOutput, StringComparison.Ordinal);
        Assert.Contains("\"ErrorType\":\"System.InvalidOperationException\"", failed.SerializedCustomStatus, StringComparison.Ordinal);

        // The sample's status function reads the same through [DurableClient].
        var status = await fixture.Http.GetStringAsync($"api/greetings/{instanceId}");
        Assert.Contains("\"runtimeStatus\":\"Failed\"", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_heard_one_episode_after_another_in_an_extended_session_each_replay_the_whole_history()
    {
        await using var client = fixture.Host.CreateDurableClient();
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync("Tally");
        await Orchestrations.WaitForRunningAsync(client, instanceId, Deadline);

        // The sample's host.json keeps sessions: every episode after the first is handed the state DTFx kept, and the
        // worker must still be sent the events of the episodes before it.
        foreach (var (item, heard) in new[] { ("red", 1), ("green", 2) })
        {
            await client.RaiseEventAsync(instanceId, "Add", item);
            await Orchestrations.WaitForAsync(client, instanceId, instance => instance.SerializedCustomStatus == $"{heard}" || instance.IsCompleted, Deadline);
        }

        await client.RaiseEventAsync(instanceId, "Add", "blue");
        var completed = await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal("red,green,blue", completed.ReadOutputAs<string>());
    }
}
