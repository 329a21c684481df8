using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.LocalHost.InProcess;
using Atlas.LocalHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests.InProcess;

/// <summary>The worker runs in the test process, and the test replaces its services before its host is built.</summary>
[Collection(InProcessCollection.Name)]
public sealed class InProcessWorkerTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Frozen = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task A_replaced_clock_is_what_the_function_reads()
    {
        await using var host = await StartAsync(Runner(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FrozenClock(Frozen)))));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var now = await http.GetFromJsonAsync<JsonElement>("api/now");
        var ping = await http.GetFromJsonAsync<JsonElement>("api/Ping");

        Assert.Equal(Frozen, now.GetProperty("utcNow").GetDateTimeOffset());
        Assert.Equal(Environment.ProcessId, ping.GetProperty("processId").GetInt32());
        output.WriteLine($"In-process worker start: {host.FirstWorkerStart}");
    }

    [Fact]
    public async Task An_injected_fault_surfaces_as_a_500()
    {
        await using var host = await StartAsync(Runner(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new BrokenClock()))));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync("api/now");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("clock is broken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_in_process_worker_is_restarted_with_the_same_replacements()
    {
        var runner = Runner(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FrozenClock(Frozen))));
        await using var host = await StartAsync(runner);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var restarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.WorkerRestarted += restarted.SetResult;
        var first = host.WorkerProcessId!.Value;

        runner.Current!.Kill();
        var second = await restarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(first, second);
        var now = await http.GetFromJsonAsync<JsonElement>("api/now");
        Assert.Equal(Frozen, now.GetProperty("utcNow").GetDateTimeOffset());
    }

    private static InProcessWorkerRunner Runner(Action<IServiceCollection> replace) =>
        new(builder => builder.ConfigureServices(replace));

    private Task<FunctionsHost> StartAsync(InProcessWorkerRunner runner) =>
        FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = SampleWorkerApp.Directory,
            HttpPort = 0,
            Log = new TestOutputWriter(output),
            WorkerRunner = runner,
            Settings = new Dictionary<string, string>
            {
                // HTTP only: no storage account, no timers.
                ["AzureWebJobs.Work.Disabled"] = "true",
                ["AzureWebJobs.Tick.Disabled"] = "true",
                ["AzureWebJobs.WarmUp.Disabled"] = "true",
                ["WorkQueue"] = "unused",
                ["TickSchedule"] = "0 0 0 1 1 *",
            },
        });

    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("The clock is broken (injected).");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessCollection
{
    public const string Name = "In-process worker (process-wide state)";
}
