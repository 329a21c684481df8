using System.Diagnostics;
using System.Reflection;
using Atlas.LocalHost;
using Atlas.LocalHost.Durable;
using Atlas.Testing;
using Microsoft.DurableTask.Client;

namespace Atlas.Benchmarks;

/// <summary>
/// The Durable engine on its own, as the local host runs it (DTFx's Azure Storage provider on Azurite, the worker a
/// process of its own): the sample worker's probe orchestration, which waits for a timer or an event and then runs
/// one activity. What it shows is the ceiling every lifecycle built on Durable shares here.
/// </summary>
public sealed class DurableBench : IAsyncDisposable
{
    private static readonly string SampleWorker = typeof(DurableBench).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SampleWorkerDirectory").Value!;

    private readonly FunctionsHost _host;
    private readonly DurableTaskClient _client;

    private DurableBench(FunctionsHost host)
    {
        _host = host;
        _client = host.CreateDurableClient();
    }

    public DurableActivitySnapshot Activity => _host.DurableActivity!;

    /// <param name="durableTask">host.json <c>extensions.durableTask</c> overrides, e.g. <c>storageProvider:partitionCount</c>.</param>
    public static async Task<DurableBench> StartAsync(IReadOnlyDictionary<string, string> durableTask)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = "bench" + Guid.NewGuid().ToString("N")[..10],
            ["AzureWebJobs.Work.Disabled"] = "true",
            ["AzureWebJobs.Tick.Disabled"] = "true",
            ["WorkQueue"] = "unused",
            ["TickSchedule"] = "0 0 0 1 1 *",
        };
        foreach (var (name, value) in durableTask)
        {
            settings["AzureFunctionsJobHost__extensions__durableTask__" + name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = SampleWorker,
            HttpPort = 0,
            Log = Environment.GetEnvironmentVariable("DURABLE_BENCH_LOG") is { } logFile ? new StreamWriter(logFile) { AutoFlush = true } : TextWriter.Null,
            Settings = settings,
        });
        return new DurableBench(host);
    }

    /// <summary>Starts <paramref name="count"/> probes, <paramref name="inFlight"/> at a time, each with a timer already due
    /// (start → timer → activity → done: three episodes and an activity); returns the time from the first start to the
    /// last completion. Not an event: one raised while its instance's start is still being dequeued can be discarded
    /// by the Azure Storage provider ("No such instance"), so events go only to instances already running.</summary>
    public async Task<TimeSpan> RoundTripsAsync(int count, int inFlight)
    {
        var finished = Activity.Finished;
        var watch = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(inFlight);
        var started = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            // In flight = started and not finished; the engine's own counter says how many finished.
            while (Volatile.Read(ref started) - (Activity.Finished - finished) >= inFlight)
            {
                await Task.Delay(5, ct);
            }

            Interlocked.Increment(ref started);
            await _client.ScheduleNewOrchestrationInstanceAsync("Probe", new { WakeAt = DateTime.UtcNow, WaitForEvent = false }, ct);
        });
        await UntilFinishedAsync(finished + count, TimeSpan.FromMinutes(5));
        return watch.Elapsed;
    }

    /// <summary>Probes with timers due over <paramref name="spread"/>, all started (and waiting) before the first is due:
    /// deadline → activity ran, ms.</summary>
    public async Task<List<double>> TimerLagsAsync(int count, TimeSpan spread)
    {
        var before = Activity;
        var first = DateTime.UtcNow.AddSeconds(5 + count / 50.0);
        var probes = new List<(string Id, DateTime? WakeAt)>();
        for (var i = 0; i < count; i++)
        {
            var wakeAt = first + spread * i / count;
            probes.Add((await _client.ScheduleNewOrchestrationInstanceAsync("Probe", new { WakeAt = wakeAt, WaitForEvent = false }), wakeAt));
        }

        if (DateTime.UtcNow > first)
        {
            Console.WriteLine("  (the timers were not all set before the first was due: the lag below includes starting them)");
        }

        await UntilFinishedAsync(before.Finished + count, spread + TimeSpan.FromMinutes(2));
        return await LagsAsync(probes);
    }

    /// <summary>Probes all waiting for their event, then the events raised at <paramref name="perSecond"/>: raised → activity ran, ms.</summary>
    public async Task<List<double>> EventLagsAsync(int count, int perSecond)
    {
        var before = Activity;
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await _client.ScheduleNewOrchestrationInstanceAsync("Probe", new { WaitForEvent = true }));
        }

        // Each has run its first episode (and now waits) when the episodes have gone up by as many.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (Activity.Episodes - before.Episodes < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        using (var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond)))
        {
            foreach (var id in ids)
            {
                await pace.WaitForNextTickAsync();
                await _client.RaiseEventAsync(id, "Go", DateTime.UtcNow);
            }
        }

        await UntilFinishedAsync(before.Finished + count, TimeSpan.FromMinutes(2));
        return await LagsAsync(ids.Select(id => (id, (DateTime?)null)));
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task UntilFinishedAsync(long finished, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Activity.Finished < finished)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{finished - Activity.Finished} probes still running after {timeout}.");
            }

            await Task.Delay(10);
        }
    }

    // From the finished probes' outputs: the activity's clock minus the deadline (or the raiser's clock).
    private async Task<List<double>> LagsAsync(IEnumerable<(string Id, DateTime? WakeAt)> probes)
    {
        var lags = new List<double>();
        foreach (var (id, wakeAt) in probes)
        {
            var instance = await _client.GetInstanceAsync(id, getInputsAndOutputs: true);
            var result = instance!.ReadOutputAs<ProbeOutput>()!;
            lags.Add((result.ActivityRanAt - (wakeAt ?? result.EventRaisedAt!.Value)).TotalMilliseconds);
        }

        lags.Sort();
        return lags;
    }

    private sealed record ProbeOutput(DateTime ActivityRanAt, DateTime? EventRaisedAt);
}
