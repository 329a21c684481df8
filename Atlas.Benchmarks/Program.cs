using System.Globalization;
using System.Net;
using Atlas.Benchmarks;
using Atlas.Functions.Hosting;
using Atlas.Functions.Lifecycles;
using Atlas.Testing;

// ./atlas bench [--seconds N] [--only runtime|signin|rides|lifetime|journey|webhooks|webhooks-3ds|settlement|hop|durable|storage|city] [--target URL --pids P,…]: throughput, latency and timer lag on Azurite, on this machine.
// Azurite's files on tmpfs rather than in its in-memory store, whose once-a-minute sweep stalls it under load
// (Atlas.Testing/Azurite.cs): the figures then say what Atlas costs, not when the sweep fell.
if (Environment.GetEnvironmentVariable(Azurite.LocationVariable) is null && Directory.Exists("/dev/shm"))
{
    Environment.SetEnvironmentVariable(Azurite.LocationVariable, "/dev/shm");
}

var only = Option("--only");

// The engine's own settings as host.json would set them, for every app the run starts: --durable storageProvider:partitionCount=1,…
BenchApp.DurableTask = (Option("--durable") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
    .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
var seconds = Option("--seconds") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : only is "city" ? 60 : 5;
var duration = TimeSpan.FromSeconds(seconds);
Console.WriteLine($"Atlas benchmark — {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, Azurite {(Environment.GetEnvironmentVariable(Azurite.ConnectionStringVariable) is { Length: > 0 } ? "from " + Azurite.ConnectionStringVariable : Environment.GetEnvironmentVariable(Azurite.LocationVariable) is { } at ? "on files under " + at : "in memory")}, {seconds} s per measurement");

if (only is "city")
{
    // --drivers N --riders N --bookings-per-second X [--fleet N] [--find | --sizes N,N,…]: a city's load, by default the issue's first bar.
    var load = new CityLoad(
        Option("--drivers") is { } d ? int.Parse(d, CultureInfo.InvariantCulture) : CityLoad.Bar.Drivers,
        Option("--riders") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : CityLoad.Bar.Riders,
        Option("--bookings-per-second") is { } b ? double.Parse(b, CultureInfo.InvariantCulture) : CityLoad.Bar.BookingsPerSecond);
    if (load.Drivers <= load.Riders || load.Riders < 0 || !(load.BookingsPerSecond >= 0))
    {
        // Each polling rider's ride takes a driver for good; the bookings need free ones.
        Console.Error.WriteLine("--drivers is more than --riders (each polling rider's ride keeps a driver), --riders and --bookings-per-second are not negative.");
        return;
    }

    var fleet = Option("--fleet") is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : 50;
    var sizes = Option("--sizes")?.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
    await CityRuns.RunAsync(load, duration, args.Contains("--find"), Math.Max(1, fleet), sizes);
    return;
}

if (only is null or "signin")
{
    Console.WriteLine("Sign-in over HTTP on loopback (POST /auth/otp, SMS through the queue, POST /auth/otp/verify):");
    await using var signIn = await SignInBench.StartAsync();
    await signIn.ThroughputAsync(16, TimeSpan.FromSeconds(2));
    signIn.Calls.Reset();
    var cpu = CpuTime.Now();
    var engine = signIn.Engine;
    var signInsPerSecond = await signIn.ThroughputAsync(64, duration);
    var signIns = (long)(signInsPerSecond * duration.TotalSeconds);
    Report("sign-ins/s, 64 phones at once", signInsPerSecond, "≥ 60");
    Console.WriteLine($"  storage calls per sign-in: {signIn.Calls.PerOperation(signIns)}");
    Console.WriteLine($"  Durable per sign-in: {PerOperation(engine, signIn.Engine, signIns)}");
    Console.WriteLine($"  CPU per sign-in: {cpu.Since().PerOperation(signIns)}");
    var latencies = await signIn.SteadyAsync(50, duration);
    Console.WriteLine($"  request latency at a steady 50 requests/s, {latencies.Count} requests: p50 {Measure.Percentile(latencies, 50):F1} ms, p99 {Measure.Percentile(latencies, 99):F1} ms, max {latencies.LastOrDefault():F1} ms   (target p99 < 100 ms)");
}

if (only is null or "rides")
{
    var crews = Option("--crews") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 96;
    Console.WriteLine($"Complete rides over HTTP (quote, booking, 3 blind bids, close by timer, award, set off, arrive, start, complete), {crews} riders at once, rounds of a minute of benchmark time:");
    // The JIT compiler first, on an app of its own: rounds of rides until it is done with their paths (JitTime). Its
    // storage goes with it: Azurite costs more with all it holds (after 3 rounds on the measured app, 264 ms of its CPU
    // a ride against 215–240 on a fresh one).
    List<double> warm;
    var warming = await RideBench.StartAsync(crews);
    await using (warming)
    {
        warm = await JitTime.WarmUpAsync(async () =>
        {
            await warming.RunAsync(TimeSpan.FromSeconds(3));
            await warming.EngineQuietAsync(TimeSpan.FromSeconds(2));
        });
    }

    await warming.Bench.DropStorageAsync();

    Console.WriteLine($"  (the JIT compiler warmed on an app of its own: {JitTime.Describe(warm)})");
    await using var rides = await RideBench.StartAsync(crews);
    await using var watch = BenchWatch.StartIf(args.Contains("--watch"), rides.Bench);
    await rides.RunAsync(TimeSpan.FromSeconds(3));
    // The warm-up's journeys finish first: in the measured time the engine works for the measured rides only, and all
    // of their work is in it (measured up to their last answer, a run took in 1.9 or 0.2 journeys' ends a ride).
    await rides.EngineQuietAsync(TimeSpan.FromSeconds(2));
    rides.Calls.Reset();
    var (cpu, jit) = (CpuTime.Now(), JitTime.Now());
    var engine = rides.Engine;
    var (answeredPerSecond, count, bookingLatencies) = await rides.RunAsync(duration);
    var tail = await rides.EngineQuietAsync(TimeSpan.FromSeconds(2));
    var ridesPerSecond = count / (count / answeredPerSecond + tail.TotalSeconds);
    Report("complete rides/s, every journey done (captured and ended)", ridesPerSecond, "≥ 8");
    Console.WriteLine($"  the same up to the last complete's answer: {answeredPerSecond:F1}/s; the journeys then took {tail.TotalSeconds:F1} s more");
    Console.WriteLine($"  storage calls per ride: {rides.Calls.PerOperation(count)}");
    Console.WriteLine($"  Durable per ride: {PerOperation(engine, rides.Engine, count)}");
    Console.WriteLine($"  engine storage calls per ride: {PerOrchestration(engine, rides.Engine, (int)count)}");
    Console.WriteLine($"  CPU per ride: {cpu.Since().PerOperation(count)}; the app's JIT compiler {jit.Since().PerOperation(count)}");
    Console.WriteLine($"  POST /api/bookings, {bookingLatencies.Count} requests under that load (all riders book at once each round): p50 {Measure.Percentile(bookingLatencies, 50):F1} ms, p99 {Measure.Percentile(bookingLatencies, 99):F1} ms, max {bookingLatencies.LastOrDefault():F1} ms");
    // 300 requests by default: with 100, the p99 is the second slowest request, and it moved 114 → 721 ms on one code.
    var steadyFor = Option("--steady-seconds") is { } ss ? TimeSpan.FromSeconds(int.Parse(ss, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(30);
    // 10 s of the same load first, unmeasured: the slow bookings of a run measured straight after the rounds were all
    // in its first 6 s, while the engine still worked through the rounds' journeys (issue 21, sixth stop).
    var warmUp = Option("--steady-warm-up") is { } wu ? TimeSpan.FromSeconds(int.Parse(wu, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(10);
    var steady = await rides.SteadyBookingsAsync(10, warmUp, steadyFor);
    Console.WriteLine($"  POST /api/bookings at a steady 10 bookings/s (each after its quote), {steady.Count} requests after {warmUp.TotalSeconds:F0} s of the same: p50 {Measure.Percentile(steady, 50):F1} ms, p99 {Measure.Percentile(steady, 99):F1} ms, max {steady.LastOrDefault():F1} ms");
}

if (only is "lifetime")
{
    // A ride's whole life: a round of rides, then every timer they armed let fire (issue 21's baseline and target).
    var crews = Option("--crews") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 96;
    // --rounds: each crew rides that many times, as a driver does in a day; what is paid once per driver and process
    // (the ledger's list of drivers, a profile read a minute) is then shared by that many rides.
    var lifeRounds = Option("--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 1;
    Console.WriteLine($"A ride's whole life: {crews * lifeRounds} complete rides over HTTP ({crews} crews, {lifeRounds} each), then the clock driven a day at a time for 8 days, every deadline they set fired as it falls due (a hold's renewal included) and every journey settled:");
    await using var rides = await RideBench.StartAsync(crews);
    var since = DateTimeOffset.UtcNow;
    rides.Calls.Reset();
    var cpu = CpuTime.Now();
    var engine = rides.Engine;
    var (_, count, _) = await rides.RunAsync(TimeSpan.Zero, rounds: lifeRounds);
    var inOwnTime = rides.Engine;
    var ownCalls = rides.Calls.Total;
    SortedDictionary<string, int> started;
    try
    {
        started = await rides.LetEveryTimerFireAsync(since, days: 8);
    }
    catch (TimeoutException)
    {
        Console.WriteLine("  The journeys did not settle; those still running:");
        await rides.DescribeUnsettledAsync(Console.Out);
        throw;
    }

    Console.WriteLine($"  in the rides' own minutes, per ride: {PerOperation(engine, inOwnTime, count)}, {(double)ownCalls / count:F1} app storage calls");
    Console.WriteLine($"  over the whole life, per ride: {(double)started.Values.Sum() / count:F2} orchestrations started ({string.Join(", ", started.Select(k => $"{k.Key} {(double)k.Value / count:F2}"))}), {PerOperation(engine, rides.Engine, count)}");
    Console.WriteLine($"  engine storage calls per ride: {PerOrchestration(engine, rides.Engine, (int)count)}");
    Console.WriteLine($"  app storage calls per ride: {rides.Calls.PerOperation(count)}");
    Console.WriteLine($"  CPU per ride: {cpu.Since().PerOperation(count)}");
    Console.WriteLine("  (target, issue 21: 1 orchestration, ≤ 10 episodes, ≤ 60 engine and ≤ 80 app storage calls per ride over its whole life)");
    return;
}

if (only is "journey")
{
    // The booking journey on the real clock: its own durable timers' lag, and fact committed → the journey's episode.
    var bookings = Option("--bookings") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : 120;
    var perSecond = Option("--bookings-per-second") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : 4;
    Console.WriteLine($"The booking journey (BookingJourneyV2) on the real clock, its timers durable, the engine polling at most every second: {bookings} bookings at {perSecond:0.#}/s, a bid each from a driver who never sets off (10 s window, 10 s to set off; the second round's empty window extends once and expires):");
    await using var journey = await JourneyBench.StartAsync(bookings, riders: Math.Max(1, bookings / 10));
    await using var watch = BenchWatch.StartIf(args.Contains("--watch"), journey.Bench);
    var (cpu, machine, clock) = (CpuTime.Now(), MachineCpu.Now(), System.Diagnostics.Stopwatch.StartNew());
    var figures = await journey.RunAsync(bookings, perSecond, TimeSpan.FromMinutes(2));
    var (used, busy) = (cpu.Since(), MachineCpu.Now().CoresBusySince(machine));
    var (timers, facts) = (figures.TimerLags, figures.Facts);
    Console.WriteLine($"  timer lag (deadline → timeout applied, the journey's own timers), {timers.Count} deadlines ({string.Join(", ", figures.TimersBy.Select(t => $"{t.Key} {t.Value}"))}): {Percentiles(timers)}");
    Console.WriteLine($"  fact committed → the journey's episode that heard it, {facts.Heard.Count} facts ({facts.AsStart} started their journey): {Percentiles(facts.Heard)}");
    Console.WriteLine($"    of which committed → raised or started (relay, flows queue, delivery): {Percentiles(facts.Delivered)}; raised → episode (engine): {Percentiles(facts.InEngine)}");
    if (figures.Unfinished > 0 || facts.Unstamped > 0)
    {
        Console.WriteLine($"  ({figures.Unfinished} journeys had not ended after 2 minutes; {facts.Unstamped} facts heard without a commit time)");
    }

    // What the run had of the machine: a lag that moves between runs of the same code is read against these.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  over the run ({clock.Elapsed.TotalSeconds:F0} s): the app and load generator {used.App.TotalSeconds / clock.Elapsed.TotalSeconds:P0} and Azurite {used.Azurite.TotalSeconds / clock.Elapsed.TotalSeconds:P0} of a core; the machine {(busy is { } cores ? $"{cores:F2} of {Environment.ProcessorCount} cores busy (anyone's work)" : "unread")}"));

    return;
}

// Offered (deliveries/s, a fifth of them duplicates) above what each sustains on 2 cores: processed/s then shows the
// capacity. Offered far above it, Azurite's queues (which it scans) only slow down.
foreach (var (part, threeDSecure, what, defaultEvents, defaultOffered, target) in new[]
{
    ("webhooks", false, "confirming authorisations the escrows already have", 2_000, 625, "≥ 300"),
    ("webhooks-3ds", true, "3-D Secure completions, each moving an escrow", 1_000, 150, "≥ 100, issue 21"),
})
{
    if (only is null || only == part)
    {
        var events = Option("--events") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : defaultEvents;
        var offered = Option("--offered") is { } o ? int.Parse(o, CultureInfo.InvariantCulture) : defaultOffered;
        Console.WriteLine($"Stripe webhooks over HTTP, {events} events {what}, +25% delivered twice, signed, {offered} deliveries/s offered (= {offered * 4 / 5} events/s):");
        var hooks = await PaymentBench.WebhooksAsync(events, threeDSecure, offered, args.Contains("--watch"));
        Report("webhook events processed/s (verified, deduplicated, queued, applied)", hooks.EventsPerSecond, target);
        Console.WriteLine($"  {hooks.Posted} deliveries of {hooks.Events} events; storage calls per event: {hooks.CallsPerEvent:F1}; intents read back from Stripe: {hooks.StripeReads}");
        Console.WriteLine($"  storage calls per event: {hooks.Calls}");
        Console.WriteLine($"  acknowledged (2xx) in: p50 {Measure.Percentile(hooks.AckLatencies, 50):F1} ms, p99 {Measure.Percentile(hooks.AckLatencies, 99):F1} ms");
        Console.WriteLine($"  CPU per event: {hooks.Cpu}");
        Console.WriteLine($"  Durable per event: {PerOperation(hooks.EngineBefore, hooks.EngineAfter, hooks.Events)}; engine storage calls per event: {PerOrchestration(hooks.EngineBefore, hooks.EngineAfter, hooks.Events)}");
    }
}

if (only is null or "settlement")
{
    var settled = await PaymentBench.SettlementAsync(10_000, 1_000);
    Console.WriteLine($"Settlement of {settled.Rides:N0} completed rides by {settled.Drivers:N0} drivers (a transfer each through the fake Stripe):");
    Console.WriteLine($"  settlement run, the orchestration ending with its own reconciliation: {settled.Settle.TotalSeconds:F1} s   (target ≤ 30 s); {settled.Paid} paid, {settled.PaidTotal:N0} of {settled.Expected:N0} owed");
    Console.WriteLine($"  reconciliation of the period: {settled.Reconcile.TotalSeconds:F1} s");
}

if (only is "storage")
{
    Console.WriteLine("Storage calls on Azurite, 32 in flight:");
    await using var storage = await TestRuntime.StartAsync();
    await StorageBench.RunAsync(storage.Services, duration, Report);
}

if (only is null or "hop")
{
    Console.WriteLine("The hop: the host and the worker each a process (as ./atlas run runs them), 32 requests in flight from this one:");
    await using var hop = Option("--target") is { } target
        ? HopBench.Attach(new Uri(target.TrimEnd('/') + "/"), Option("--pids")!.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)))
        : await HopBench.StartAsync();
    Console.WriteLine($"  GET /api/me without a token (401 from the middleware, no storage): {await hop.MeasureAsync(32, duration, (client, _) => client.GetAsync("me"), HttpStatusCode.Unauthorized)}");
    Console.WriteLine($"  POST /api/auth/otp, a new phone each (202; the text then goes out through the queue): {await hop.MeasureAsync(32, duration, hop.StartSignInAsync, HttpStatusCode.Accepted)}");
}

if (only is null or "durable")
{
    var tuning = BenchApp.DurableTask;
    Console.WriteLine($"Durable Functions' engine under the local host (DTFx Azure Storage provider on Azurite, the worker a process), settings: {(tuning.Count == 0 ? "defaults" : string.Join(", ", tuning.Select(t => $"{t.Key}={t.Value}")))}:");
    // Each measurement on a task hub of its own: Azurite scans a whole table for a partition's rows, so a hub full
    // of one measurement's history slows every episode of the next (Azure's tables index the partition key).
    await using (var lagged = await DurableBench.StartAsync(tuning))
    {
        var timers = Option("--timers") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : 200;
        var timerLags = await lagged.TimerLagsAsync(timers, TimeSpan.FromSeconds(10));
        Console.WriteLine($"  timer lag (deadline → activity ran), {timers:N0} timers due over 10 s: p50 {Measure.Percentile(timerLags, 50):F0} ms, p99 {Measure.Percentile(timerLags, 99):F0} ms, max {timerLags.LastOrDefault():F0} ms   (target p99 ≤ 2000 ms)");
        var eventLags = await lagged.EventLagsAsync(200, 20);
        Console.WriteLine($"  event lag (raised → activity ran), 200 events at 20/s: p50 {Measure.Percentile(eventLags, 50):F0} ms, p99 {Measure.Percentile(eventLags, 99):F0} ms, max {eventLags.LastOrDefault():F0} ms");
    }

    await using var durable = await DurableBench.StartAsync(tuning);
    await durable.RoundTripsAsync(64, 32);
    var count = Option("--orchestrations") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 500;
    var before = durable.Activity;
    var cpu = CpuTime.Now();
    var elapsed = await durable.RoundTripsAsync(count, 64);
    var after = durable.Activity;
    var episodes = after.Episodes - before.Episodes;
    Report($"orchestrations/s, {count:N0} probes 64 at a time (start, a timer already due, activity, done)", count / elapsed.TotalSeconds, "");
    Report("orchestrator episodes/s at that rate", episodes / elapsed.TotalSeconds, "");
    Console.WriteLine($"  per orchestration: {(double)episodes / count:F2} episodes, {(double)(after.Activities - before.Activities) / count:F2} activities; this process's CPU (host and engine, not the worker) {cpu.Since().PerOperation(count)}");
    Console.WriteLine($"  engine storage calls per orchestration: {PerOrchestration(before, after, count)}");
}

if (only is not (null or "runtime"))
{
    return;
}

Console.WriteLine("Lifecycle runtime (in process, no HTTP):");
await using var runtime = await TestRuntime.StartAsync(configure: services =>
{
    services.AddSingleton(TimeProvider.System);
    services.AddLifecycle(new ProbeDecider());
    services.AddEffect<Ping, PingReceiver>("probe.ping");
});
var probes = runtime.Services.GetRequiredService<Lifecycle<ProbeState, ProbeCommand>>();

// Warm up connections and the JIT.
await Measure.ThroughputAsync(8, TimeSpan.FromSeconds(1), i => probes.ExecuteAsync($"warm-{i % 50}", new Bump(), default));

var oneSequential = await Measure.ThroughputAsync(1, duration, _ => probes.ExecuteAsync("solo", new Bump(), default));
Report("commands/s on one instance, one caller", oneSequential, "≥ 200");

var oneConcurrent = await Measure.ThroughputAsync(32, duration, _ => probes.ExecuteAsync("crowded", new Bump(), default));
Report("commands/s on one instance, 32 callers at once", oneConcurrent, "≥ 200");

var acrossCpu = CpuTime.Now();
var across = await Measure.ThroughputAsync(32, duration, i => probes.ExecuteAsync($"p-{Random.Shared.Next(1000)}", new Bump(), default));
Report("commands/s across 1,000 instances, 32 in flight", across, "≥ 600");
Console.WriteLine($"  CPU per command: {acrossCpu.Since().PerOperation((long)(across * duration.TotalSeconds))}");

var relayed = await Measure.ThroughputAsync(32, duration, i => probes.ExecuteAsync($"p-{Random.Shared.Next(1000)}", new Emit(), default));
Report("outbox relay: commands with an effect relayed to the queue, messages/s", relayed, "");

static string Percentiles(IReadOnlyList<double> sorted) =>
    string.Create(CultureInfo.InvariantCulture, $"p50 {Measure.Percentile(sorted, 50):F0} ms, p95 {Measure.Percentile(sorted, 95):F0} ms, p99 {Measure.Percentile(sorted, 99):F0} ms, max {sorted.LastOrDefault():F0} ms");

// The engine's work per operation of the app: episodes, activities, orchestrations finished and the storage calls
// the engine made (beside the app's own, counted apart).
static string PerOperation(Atlas.LocalHost.Durable.DurableActivitySnapshot before, Atlas.LocalHost.Durable.DurableActivitySnapshot after, long count) =>
    string.Create(CultureInfo.InvariantCulture,
        $"{(double)(after.Episodes - before.Episodes) / count:F2} episodes, {(double)(after.Activities - before.Activities) / count:F2} activities, {(double)(after.Finished - before.Finished) / count:F2} orchestrations finished, {(double)(after.TotalStorageCalls - before.TotalStorageCalls) / count:F1} engine storage calls");

static string PerOrchestration(Atlas.LocalHost.Durable.DurableActivitySnapshot before, Atlas.LocalHost.Durable.DurableActivitySnapshot after, int count) =>
    string.Join(", ", after.StorageCalls
        .Select(call => (call.Key, Calls: call.Value - before.StorageCalls.GetValueOrDefault(call.Key)))
        .Where(call => call.Calls > 0)
        .OrderByDescending(call => call.Calls)
        .Select(call => $"{call.Key} {(double)call.Calls / count:F2}"))
    + $" = {(double)(after.TotalStorageCalls - before.TotalStorageCalls) / count:F1}";

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static void Report(string what, double perSecond, string target) =>
    Console.WriteLine($"  {what}: {(perSecond < 100 ? perSecond.ToString("F1", CultureInfo.InvariantCulture) : perSecond.ToString("F0", CultureInfo.InvariantCulture))}{(target.Length > 0 ? $"   (target {target})" : "")}");
