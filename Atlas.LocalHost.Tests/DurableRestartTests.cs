using System.Diagnostics;
using Atlas.LocalHost.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests;

/// <summary>Orchestrations outliving their worker and their host: each test has hosts of its own on a task hub of its own.</summary>
public sealed class DurableRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _taskHub = DurableStorage.NewTaskHub();

    [Fact]
    public async Task An_orchestration_waiting_on_its_timer_completes_after_the_worker_is_killed()
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await using var client = host.CreateDurableClient();
        var restarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.WorkerRestarted += restarted.SetResult;

        var instanceId = await Orchestrations.StartGreetingAsync(http, "Barbara", waitSeconds: 1);
        await Orchestrations.WaitForRunningAsync(client, instanceId, Deadline);
        using (var worker = Process.GetProcessById(host.WorkerProcessId!.Value))
        {
            worker.Kill();
        }

        var killed = Stopwatch.StartNew();
        var completed = await Orchestrations.WaitForCompletionAsync(client, instanceId, Deadline);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal("Hello, Barbara, after waiting!", completed.ReadOutputAs<string>());
        Assert.True(restarted.Task.IsCompleted, "The orchestration completed on the replacement worker.");
        output.WriteLine($"Worker killed mid-timer → completed seen {killed.Elapsed.TotalMilliseconds:0} ms later");
    }

    [Fact]
    public async Task An_orchestration_waiting_on_its_timer_completes_under_the_next_host_without_waiting_for_leases_to_expire()
    {
        string instanceId;
        var clock = Stopwatch.StartNew();
        await using (var first = await StartHostAsync())
        {
            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            await using var client = first.CreateDurableClient();
            // Stopped well before the timer is due: the provider fetches a timer message up to a second early
            // (whole-second queue visibility), and a message fetched but not processed when the host stops stays
            // hidden for the control queue's visibility timeout (5 minutes), here as in Azure.
            instanceId = await Orchestrations.StartGreetingAsync(http, "Frances", waitSeconds: 3);
            await Orchestrations.WaitForRunningAsync(client, instanceId, Deadline);
            clock.Restart();
        }

        var stopped = clock.Elapsed;
        await using var second = await StartHostAsync();
        var started = clock.Elapsed;
        await using var secondClient = second.CreateDurableClient();
        var completed = await Orchestrations.WaitForCompletionAsync(secondClient, instanceId, Deadline);
        var resumed = clock.Elapsed - started;

        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal("Hello, Frances, after waiting!", completed.ReadOutputAs<string>());

        // A host with another worker id waits ~30 s for the old partition leases to expire.
        Assert.True(resumed < TimeSpan.FromSeconds(10), $"Resumed after {resumed}: the partition leases were not taken back at once.");
        output.WriteLine($"First host stopped in {stopped.TotalMilliseconds:0} ms; second started in {(started - stopped).TotalMilliseconds:0} ms; completed seen {resumed.TotalMilliseconds:0} ms after its start");
    }

    private Task<FunctionsHost> StartHostAsync() =>
        FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = SampleWorkerApp.Directory,
            HttpPort = 0,
            Log = new TestOutputWriter(output),
            Settings = new Dictionary<string, string>(DurableStorage.Settings(_taskHub))
            {
                // Durable and HTTP only.
                ["AzureWebJobs.Work.Disabled"] = "true",
                ["AzureWebJobs.Tick.Disabled"] = "true",
                ["AzureWebJobs.WarmUp.Disabled"] = "true",
                ["WorkQueue"] = "unused",
                ["TickSchedule"] = "0 0 0 1 1 *",
                ["AzureFunctionsJobHost__logging__logLevel__DurableTask"] = "Information",
            },
        });
}
