using System.Diagnostics;
using System.Globalization;
using Atlas.Functions.Storage;
using Microsoft.Extensions.Configuration;

namespace Atlas.Benchmarks;

/// <summary>
/// With <c>--watch</c>: a line every few seconds while a benchmark runs, to see a run fall into the slow state rather
/// than guess at it afterwards — the app's and the engine's storage calls per second, the orchestrator episodes and
/// activities per second, Azurite's share of a core, and every queue that holds messages (Atlas's and the task hub's).
/// </summary>
public sealed class BenchWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    private BenchWatch(BenchApp bench, TimeSpan every) => _watching = WatchAsync(bench, every, _stop.Token);

    public static BenchWatch? StartIf(bool watch, BenchApp bench) => watch ? new BenchWatch(bench, TimeSpan.FromSeconds(5)) : null;

    private static async Task WatchAsync(BenchApp bench, TimeSpan every, CancellationToken ct)
    {
        var queues = StorageClients.Queues(bench.App.Services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"]!);
        var clock = Stopwatch.StartNew();
        var (calls, engine, azurite, at) = (bench.Calls.Total, bench.App.Host.DurableActivity!, CpuTime.Now(), clock.Elapsed);
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
            var lengths = new List<string>();
            await foreach (var queue in queues.GetQueuesAsync(cancellationToken: ct))
            {
                var count = (await queues.GetQueueClient(queue.Name).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
                if (count > 0)
                {
                    lengths.Add($"{queue.Name} {count}");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{now.TotalSeconds,5:F0} s] app {(callsNow - calls) / seconds,5:F0} calls/s, engine {(engineNow.TotalStorageCalls - engine.TotalStorageCalls) / seconds,5:F0} calls/s, {(engineNow.Episodes - engine.Episodes) / seconds,4:F0} episodes/s, {(engineNow.Activities - engine.Activities) / seconds,4:F0} activities/s, app {(azuriteNow.App - azurite.App).TotalSeconds / seconds:P0} and Azurite {(azuriteNow.Azurite - azurite.Azurite).TotalSeconds / seconds:P0} of a core; queues: {(lengths.Count == 0 ? "empty" : string.Join(", ", lengths))}"));
            (calls, engine, azurite, at) = (callsNow, engineNow, azuriteNow, now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
