using Atlas.LocalHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests;

/// <summary>The host as a process of its own, killed for real: what it leaves behind.</summary>
public sealed class HostProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Killing_the_host_with_SIGKILL_ends_its_worker_even_inside_a_function()
    {
        using var host = await HostProcess.StartAsync(Settings(), new TestOutputWriter(output), StartLimit);
        var worker = host.WorkerProcessId;
        Assert.True(HostProcess.IsRunning(worker), $"Worker {worker} runs under its host.");

        // Inside a function when the host goes, as the worker was inside a Stripe call in the issue.
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var inFlight = http.GetAsync("api/slow/120000");
        await host.Log.WaitForAsync(line => line.Contains("Sleeping 120000 ms", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        host.Kill();
        await host.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<HttpRequestException>(() => inFlight);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (HostProcess.IsRunning(worker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var orphaned = HostProcess.IsRunning(worker);
        if (orphaned)
        {
            // Not left running after a failure: it is this test's.
            using var process = System.Diagnostics.Process.GetProcessById(worker);
            process.Kill();
        }

        Assert.False(orphaned, $"Worker {worker} still ran 10 s after its host {host.Id} was killed.");
    }

    private static Dictionary<string, string> Settings() => new(DurableStorage.Settings(DurableStorage.NewTaskHub()))
    {
        // HTTP and Durable only.
        ["AzureWebJobs.Work.Disabled"] = "true",
        ["AzureWebJobs.Tick.Disabled"] = "true",
        ["AzureWebJobs.WarmUp.Disabled"] = "true",
        ["WorkQueue"] = "unused",
        ["TickSchedule"] = "0 0 0 1 1 *",
    };
}
