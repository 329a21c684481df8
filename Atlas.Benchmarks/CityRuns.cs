using System.Globalization;

namespace Atlas.Benchmarks;

/// <summary>A city's size: drivers posting positions, riders polling their ride, bookings arriving.</summary>
public sealed record CityLoad(int Drivers, int Riders, double BookingsPerSecond)
{
    /// <summary>The issue's first bar: 2,000 drivers (400 position posts/s), 200 riders polling, 2 bookings/s.</summary>
    public static CityLoad Bar { get; } = new(2_000, 200, 2);

    /// <summary>Riders who book: enough that each books again only after about 40 s, when their last ride is over.</summary>
    public int Bookers => Math.Max(10, (int)Math.Ceiling(BookingsPerSecond * 40));

    /// <summary>The same city with more drivers, riders and bookings in proportion.</summary>
    public CityLoad WithDrivers(int drivers) =>
        new(drivers, (int)Math.Round((double)Riders * drivers / Drivers), BookingsPerSecond * drivers / Drivers);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Drivers:N0} drivers (a position each 5 s: {Drivers / 5.0:N0}/s), {Riders:N0} riders polling their ride each 3 s ({Riders / 3.0:N0}/s), {BookingsPerSecond:0.##} bookings/s");
}

/// <summary>What one run measured, over its measured window.</summary>
public sealed record CityFigures(
    List<KindFigures> Kinds, long Requests, TimeSpan Measured, CpuTime Cpu, double? MachineBusy, long AppCalls, string CallsPerRequest, long EngineCalls,
    List<double> AwardLags, long Unserved, int Unfinished, List<(double FromSeconds, double ToSeconds, int Requests, double WorstMs)> SlowBursts, DateTimeOffset Opened)
{
    public bool Passes => Kinds.All(k => k.Passes) && Unfinished == 0;

    /// <summary>Which resource the city ran into: Azurite's one thread, the cores (by the city, or by other work on a
    /// shared machine), or none (the time goes waiting).</summary>
    public string Bound()
    {
        var cores = Environment.ProcessorCount;
        var app = Cpu.App / Measured;
        var azurite = Cpu.Azurite / Measured;
        var busy = string.Create(CultureInfo.InvariantCulture,
            $"app and load generator {app:F2} cores, Azurite {azurite:F2} (of {cores}; Azurite runs on one thread), the machine {MachineBusy:F2} busy in all; {(AppCalls + EngineCalls) / Measured.TotalSeconds:N0} storage calls/s (app and engine)");
        return azurite >= 0.85 ? $"Azurite's one thread is saturated: {busy}"
            : app + azurite >= 0.85 * cores ? $"the CPU is saturated by the city: {busy}"
            : MachineBusy >= 0.85 * cores ? $"the CPU is saturated, by other work too (a shared machine: measure again on a quiet one): {busy}"
            : $"no CPU is saturated, the time goes waiting (queue hops, the engine's polling, contention): {busy}";
    }
}

/// <summary><c>--only city</c>: one city measured, or with <c>--find</c> a city grown step by step until a kind of
/// request misses the bar (p99 ≥ 500 ms or an error).</summary>
public static class CityRuns
{
    private static readonly TimeSpan LeadIn = TimeSpan.FromSeconds(15);

    /// <param name="sizes">With it, each of these cities in turn (drivers; riders and bookings in proportion), the city
    /// growing between them, whatever each one's figures: how the figures move with the size, past the bar.</param>
    public static async Task RunAsync(CityLoad load, TimeSpan measured, bool find, int fleetSize, IReadOnlyList<int>? sizes = null)
    {
        Console.WriteLine($"A city's load over HTTP, open loop (each request on its schedule whatever the answers); per request kind, latency from when it was due; {measured.TotalSeconds:N0} s measured after a {LeadIn.TotalSeconds:N0} s lead-in:");
        Console.WriteLine($"The drivers work for fleets of {fleetSize:N0} (a company each, its drivers one partition of the Companies table).");
        await using var city = await CityBench.StartAsync(fleetSize);
        if (sizes is { Count: > 0 })
        {
            foreach (var drivers in sizes)
            {
                var figures = await MeasureAsync(city, load.WithDrivers(drivers), measured);
                Console.WriteLine(figures.Passes ? "  → passes: every kind's p99 under 500 ms, no error" : $"  → misses the bar: {Misses(figures)}");
            }

            return;
        }

        if (!find)
        {
            var figures = await MeasureAsync(city, load, measured);
            Console.WriteLine(figures.Passes ? "  → passes: every kind's p99 under 500 ms, no error" : $"  → misses the bar: {Misses(figures)}");
            return;
        }

        CityLoad? passed = null;
        foreach (var drivers in Steps())
        {
            var step = load.WithDrivers(drivers);
            var figures = await MeasureAsync(city, step, measured);
            if (!figures.Passes)
            {
                Console.WriteLine($"Largest city served: {(passed is null ? "none of the steps" : passed.ToString())}.");
                Console.WriteLine($"  bound at {step.Drivers:N0} drivers by {Misses(figures)}; {figures.Bound()}");
                return;
            }

            passed = step;
        }
    }

    /// <summary>250 drivers more each step up to 1,000, 500 more up to 2,000, then a thousand more each step.</summary>
    private static IEnumerable<int> Steps()
    {
        for (var drivers = 250; drivers <= 100_000; drivers += drivers < 1_000 ? 250 : drivers < 2_000 ? 500 : 1_000)
        {
            yield return drivers;
        }
    }

    private static async Task<CityFigures> MeasureAsync(CityBench city, CityLoad load, TimeSpan measured)
    {
        Console.WriteLine($"City of {load}:");
        var growing = System.Diagnostics.Stopwatch.StartNew();
        await city.GrowAsync(load.Drivers, load.Riders, load.Bookers);
        Console.WriteLine($"  (signed in through SMS and set up in {growing.Elapsed.TotalSeconds:N0} s; every polling rider's ride awarded and under way)");
        var figures = await city.RunAsync(load.BookingsPerSecond, LeadIn, measured);
        foreach (var kind in figures.Kinds)
        {
            Console.WriteLine($"  {kind}");
        }

        var lags = figures.AwardLags;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  award, the window's close → the winner's and the rider's notices (the durable timer, the award, the push; not a request): {lags.Count:N0}, p50 {Measure.Percentile(lags, 50):F0} ms, p99 {Measure.Percentile(lags, 99):F0}, max {lags.LastOrDefault():F0}"));
        if (figures.SlowBursts.Count > 0)
        {
            Console.WriteLine($"  answers over 500 ms, by when they were due (s into the window, which opened at {figures.Opened:HH:mm:ss.fff} UTC: requests, worst): "
                + string.Join("; ", figures.SlowBursts.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.FromSeconds:F1}–{b.ToSeconds:F1}: {b.Requests}, {b.WorstMs:F0} ms"))));
        }

        if (figures.Unserved > 0)
        {
            Console.WriteLine($"  bookings with no free driver near the pickup to bid (the city's shortage, not the app's): {figures.Unserved:N0}");
        }

        if (figures.Unfinished > 0)
        {
            Console.WriteLine($"  requests or rides still unanswered 3 minutes after the run: {figures.Unfinished:N0}");
        }

        Console.WriteLine($"  CPU per request ({figures.Requests:N0} requests): {figures.Cpu.PerOperation(Math.Max(1, figures.Requests))}");
        Console.WriteLine($"  storage calls per request: {figures.CallsPerRequest}; the Durable engine's: {(double)figures.EngineCalls / Math.Max(1, figures.Requests):F2}");
        Console.WriteLine($"  where the bound is: {figures.Bound()}");
        return figures;
    }

    private static string Misses(CityFigures figures) =>
        string.Join("; ", figures.Kinds.Where(k => !k.Passes).Select(k => string.Create(CultureInfo.InvariantCulture,
            $"{k.Kind} (p99 {k.P99:F0} ms{(k.Errors.Count == 0 ? "" : $", {k.Errors.Values.Sum()} errors")})"))
            .Concat(figures.Unfinished > 0 ? [$"{figures.Unfinished} unanswered"] : []));
}
