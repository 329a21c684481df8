using System.Diagnostics;
using System.Globalization;
using Atlas.Functions.Storage;
using Microsoft.Extensions.Configuration;

namespace Atlas.Benchmarks;

/// <summary>
/// With <c>--watch</c>: a line every few seconds while a benchmark runs, to see a run fall into the slow state rather
/// than guess at it afterwards — the app's and the engine's storage calls per second, the orchestrator episodes and
/// activities per second, Azurite's share of a core, and every queue that holds messages (Atlas's and the task hub's);
/// and the app process's own state: its thread pool (threads, queued items, and how late a 50 ms tick ran at worst,
/// which is what a starved pool shows), its garbage collector's pauses and its lock contentions.
/// </summary>
public sealed class BenchWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    private readonly Task _ticking;
    private long _worstTickLateTicks;

    private BenchWatch(BenchApp bench, TimeSpan every)
    {
        _watching = WatchAsync(bench, every, _stop.Token);
        _ticking = TickAsync(_stop.Token);
    }

    /// <summary>Every 50 ms on the thread pool: how late the tick ran, the worst kept until the next line takes it.</summary>
    private async Task TickAsync(CancellationToken ct)
    {
        var tick = TimeSpan.FromMilliseconds(50);
        while (!ct.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(tick, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var late = Stopwatch.GetElapsedTime(started) - tick;
            long seen;
            while (late.Ticks > (seen = Interlocked.Read(ref _worstTickLateTicks))
                   && Interlocked.CompareExchange(ref _worstTickLateTicks, late.Ticks, seen) != seen)
            {
                // Another tick raised the worst between the read and the swap: compare again.
            }
        }
    }

    public static BenchWatch? StartIf(bool watch, BenchApp bench) => watch ? new BenchWatch(bench, TimeSpan.FromSeconds(5)) : null;

    private async Task WatchAsync(BenchApp bench, TimeSpan every, CancellationToken ct)
    {
        var queues = StorageClients.Queues(bench.App.Services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"]!);
        var clock = Stopwatch.StartNew();
        var (calls, engine, azurite, at) = (bench.Calls.Total, bench.App.Host.DurableActivity!, CpuTime.Now(), clock.Elapsed);
        var (paused, contentions, services) = (GC.GetTotalPauseDuration(), Monitor.LockContentionCount, CpuTime.ByAzuriteService());
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var (callsNow, engineNow, azuriteNow, now) = (bench.Calls.Total, bench.App.Host.DurableActivity!, CpuTime.Now(), clock.Elapsed);
            var seconds = (now - at).TotalSeconds;

            // The benchmark resets its counts when it starts measuring: then what was counted since the reset.
            static double CallsSince(long before, long now) => now < before ? now : now - before;
            var lengths = new List<string>();
            // Not cancelled by the stop: a line begun is finished (a stop in the middle threw out of the benchmark).
            await foreach (var queue in queues.GetQueuesAsync(cancellationToken: CancellationToken.None))
            {
                var count = (await queues.GetQueueClient(queue.Name).GetPropertiesAsync(CancellationToken.None)).Value.ApproximateMessagesCount;
                if (count > 0)
                {
                    lengths.Add($"{queue.Name} {count}");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{DateTime.Now:HH:mm:ss}] app {CallsSince(calls, callsNow) / seconds,5:F0} calls/s, engine {(engineNow.TotalStorageCalls - engine.TotalStorageCalls) / seconds,5:F0} calls/s, {(engineNow.Episodes - engine.Episodes) / seconds,4:F0} episodes/s, {(engineNow.Activities - engine.Activities) / seconds,4:F0} activities/s, app {(azuriteNow.App - azurite.App).TotalSeconds / seconds:P0} and Azurite {(azuriteNow.Azurite - azurite.Azurite).TotalSeconds / seconds:P0} of a core; queues: {(lengths.Count == 0 ? "empty" : string.Join(", ", lengths))}"));
            var (pausedNow, contentionsNow, servicesNow) = (GC.GetTotalPauseDuration(), Monitor.LockContentionCount, CpuTime.ByAzuriteService());
            var shares = string.Join(", ", servicesNow.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
                string.Create(CultureInfo.InvariantCulture, $"{s.Key} {(s.Value - services.GetValueOrDefault(s.Key)).TotalSeconds / seconds:P0}")));
            var worstLate = TimeSpan.FromTicks(Interlocked.Exchange(ref _worstTickLateTicks, 0));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"           {shares}; thread pool {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} queued, a 50 ms tick up to {worstLate.TotalMilliseconds:F0} ms late; GC paused {(pausedNow - paused).TotalMilliseconds:F0} ms; {contentionsNow - contentions} lock contentions"));
            (calls, engine, azurite, at) = (callsNow, engineNow, azuriteNow, now);
            (paused, contentions, services) = (pausedNow, contentionsNow, servicesNow);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await _ticking;
        _stop.Dispose();
    }
}
