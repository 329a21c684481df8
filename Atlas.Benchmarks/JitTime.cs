using System.Diagnostics;
using System.Runtime;

namespace Atlas.Benchmarks;

/// <summary>
/// What the JIT compiler has done in this process (the app and its load generator). A figure is the app's steady state
/// only once the tiered compiler has finished with the paths it measures: tier 0, then code instrumented for PGO, then
/// tier 1, each step deferred while new methods keep coming. Measured straight after one warm-up round, a rides run
/// spent 135 of its 235 ms of the app's CPU a ride compiling, and gave 4.4 rides/s against 5.9 (issue 21, eighth stop).
/// </summary>
public readonly record struct JitTime(TimeSpan Compiling, long Methods)
{
    /// <summary>Of a warm-up round's wall time, the share the compiler may still take for the app to count as warm.</summary>
    private const double Warm = 0.03;

    public static JitTime Now() => new(JitInfo.GetCompilationTime(), JitInfo.GetCompiledMethodCount());

    public JitTime Since()
    {
        var now = Now();
        return new JitTime(now.Compiling - Compiling, now.Methods - Methods);
    }

    public string PerOperation(long operations) =>
        $"{Compiling.TotalMilliseconds / operations:F2} ms compiling ({(double)Methods / operations:F2} methods)";

    /// <summary>
    /// Runs <paramref name="round"/> until a round and the compiling it set off (waited for until no method has been
    /// compiled for a second) take under 3 % of that time compiling, or <paramref name="atMost"/> rounds have run.
    /// Returns each round's share of its time spent compiling.
    /// </summary>
    public static async Task<List<double>> WarmUpAsync(Func<Task> round, int atMost = 5)
    {
        var shares = new List<double>();
        while (shares.Count < atMost)
        {
            var (before, watch) = (Now(), Stopwatch.StartNew());
            await round();
            await QuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            shares.Add(before.Since().Compiling / watch.Elapsed);
            if (shares[^1] < Warm)
            {
                break;
            }
        }

        return shares;
    }

    public static string Describe(List<double> shares) =>
        $"{shares.Count} warm-up round{(shares.Count == 1 ? "" : "s")}, compiling {string.Join(" → ", shares.Select(s => s.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)))} of each";

    /// <summary>Waits until no method has been compiled for <paramref name="quietFor"/> (at most <paramref name="atMost"/>):
    /// the tiered compiler's backlog is done.</summary>
    private static async Task QuietAsync(TimeSpan quietFor, TimeSpan atMost)
    {
        var waited = Stopwatch.StartNew();
        var (seen, quietSince) = (JitInfo.GetCompiledMethodCount(), TimeSpan.Zero);
        while (waited.Elapsed - quietSince < quietFor && waited.Elapsed < atMost)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            if (JitInfo.GetCompiledMethodCount() is var now && now != seen)
            {
                (seen, quietSince) = (now, waited.Elapsed);
            }
        }
    }
}
