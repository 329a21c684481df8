using System.Diagnostics;

namespace Atlas.Benchmarks;

public static class Measure
{
    /// <summary>Runs <paramref name="work"/> from <paramref name="inFlight"/> loops for a while; returns operations per second.</summary>
    public static async Task<double> ThroughputAsync(int inFlight, TimeSpan duration, Func<int, Task> work)
    {
        var done = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async worker =>
        {
            var n = 0;
            while (stopwatch.Elapsed < duration)
            {
                await work(worker * 1_000_000 + n++);
                Interlocked.Increment(ref done);
            }
        }));
        return done / stopwatch.Elapsed.TotalSeconds;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
