using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Atlas.Core.Auth;
using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using Atlas.FakeStripe;
using Atlas.Functions.Companies;
using Atlas.Functions.Ledger;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Settlement;
using Atlas.Functions.Stripe;
using Atlas.Functions.Webhooks;
using Atlas.Testing;
using Microsoft.Extensions.Options;

namespace Atlas.Benchmarks;

/// <summary>Money at volume: Stripe webhooks taken in and applied, and a settlement run over a day of rides.</summary>
public static class PaymentBench
{
    /// <summary>At most this many warm-up rounds of webhooks, of <see cref="WarmUpRound"/> events each.</summary>
    private const int WarmUpRounds = 4;

    private const int WarmUpRound = 100;

    public sealed record WebhookFigures(int Events, int Posted, double EventsPerSecond, double CallsPerEvent, string Calls, int StripeReads, List<double> AckLatencies, string Cpu, Atlas.LocalHost.Durable.DurableActivitySnapshot EngineBefore, Atlas.LocalHost.Durable.DurableActivitySnapshot EngineAfter);

    public sealed record SettlementFigures(int Rides, int Drivers, int Paid, TimeSpan Settle, TimeSpan Reconcile, long PaidTotal, long Expected);

    /// <summary>
    /// <paramref name="count"/> rides are authorised through the app's own effects and the fake Stripe: with
    /// <paramref name="threeDSecure"/>, they wait for 3-D Secure and then their banks say yes, so every event moves an
    /// escrow (and books the hold); without, each event confirms what Stripe's answer already told the escrow, as most
    /// of Stripe's events do. The <c>payment_intent.amount_capturable_updated</c> events, a quarter of them delivered
    /// twice, are posted signed at <paramref name="offeredPerSecond"/>. Timed from the first post until the event queue
    /// is empty: when the app keeps up, events are processed as fast as they are offered. Other rides' events are posted
    /// first, unmeasured, in rounds until the JIT compiler is done with the webhook's path (<see cref="JitTime"/>).
    /// </summary>
    public static async Task<WebhookFigures> WebhooksAsync(int count, bool threeDSecure, int offeredPerSecond, bool watchQueues = false)
    {
        await using var bench = await BenchApp.StartAsync();
        await using var watching = BenchWatch.StartIf(watchQueues, bench);
        var escrows = bench.App.Services.GetRequiredService<Lifecycle<Escrow, EscrowCommand>>();
        var queues = bench.App.Services.GetRequiredService<IQueueClient>();
        var webhookUrl = bench.Stripe.WebhookUrl;
        bench.Stripe.WebhookUrl = null;

        var customer = (string)(await bench.Stripe.State.CreateCustomerAsync(Form([])))["id"]!;
        var token = threeDSecure ? "pm_card_authenticationRequired" : "pm_card_visa";
        var card = (string)(await bench.Stripe.State.AttachAsync(token, Form(new() { ["customer"] = customer })))["id"]!;
        var waitFor = threeDSecure ? EscrowStatus.ActionRequired : EscrowStatus.Authorised;
        var seeding = Stopwatch.StartNew();
        var warmUpRides = Enumerable.Range(0, WarmUpRounds * WarmUpRound).Select(i => $"rd_webhookwarm{i:D5}-1").ToList();
        var warmUpBodies = await AuthoriseAsync(warmUpRides);
        var rides = Enumerable.Range(0, count).Select(i => $"rd_webhookbench{i:D5}-1").ToList();
        var bodies = await AuthoriseAsync(rides);
        Console.WriteLine($"  ({count} rides and {warmUpRides.Count} for the warm-up {waitFor} after {seeding.Elapsed.TotalSeconds:F0} s)");

        var warmUp = warmUpBodies.Chunk(WarmUpRound).GetEnumerator();
        var warm = await JitTime.WarmUpAsync(() => warmUp.MoveNext() ? PostAsync([.. warmUp.Current], []) : Task.CompletedTask, WarmUpRounds);
        Console.WriteLine($"  ({JitTime.Describe(warm)}, {WarmUpRound} events a round)");
        await QueuesEmptyAsync();

        var reads = bench.Stripe.Requests.Count(r => r.Method == "GET");
        var acks = new ConcurrentBag<double>();
        bench.Calls.Reset();
        var (cpu, jit, engine) = (CpuTime.Now(), JitTime.Now(), bench.Engine);
        var elapsed = await PostAsync(bodies, acks);
        var used = $"{cpu.Since().PerOperation(bodies.Count)}; the app's JIT compiler {jit.Since().PerOperation(bodies.Count)}";

        // The journeys the events moved finish what they started (counted, not timed).
        await bench.EngineQuietAsync(TimeSpan.FromSeconds(2));
        var calls = bench.Calls.Total;
        var breakdown = bench.Calls.PerOperation(bodies.Count);

        var applied = (await Task.WhenAll(rides.Select(r => escrows.GetAsync(r, default)))).Count(e => e.State.Status == EscrowStatus.Authorised);
        if (applied != count)
        {
            throw new InvalidOperationException($"Only {applied} of {count} escrows were authorised by their webhooks.");
        }

        bench.Stripe.WebhookUrl = webhookUrl;
        return new WebhookFigures(
            bodies.Count, bodies.Count + (bodies.Count / 4), bodies.Count / elapsed.TotalSeconds, (double)calls / bodies.Count, breakdown, bench.Stripe.Requests.Count(r => r.Method == "GET") - reads, [.. acks.Order()], used, engine, bench.Engine);

        // Opens the rides' escrows (through 3-D Secure, where asked) with the webhooks held back, and returns the events
        // that Stripe would post for them.
        async Task<List<string>> AuthoriseAsync(List<string> group)
        {
            var seen = bench.Stripe.State.Events.Count;

            // In waves: Azurite's queues slow down with their length (it scans them), which real queues do not.
            foreach (var wave in group.Chunk(200))
            {
                await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (ride, ct) =>
                    await escrows.ExecuteAsync(ride, new OpenEscrow(new EscrowTerms(ride, "bk_" + ride[3..^2], "usr_r", "mb_d", "usr_d", "co_1", 1_000, "GBP", PlatformFee.Default, customer, card)), ct));
                await UntilAsync(async () => (await Task.WhenAll(wave.Select(r => escrows.GetAsync(r, default)))).All(e => e.State.Status == waitFor));
            }

            var intents = bench.Stripe.State.Events.Skip(seen)
                .Where(e => (string?)e["type"] == "payment_intent.requires_action")
                .Select(e => (string)e["data"]!["object"]!["id"]!)
                .ToList();
            foreach (var intent in intents)
            {
                await bench.Stripe.State.AuthenticateAsync(intent, succeed: true);
            }

            // What the authorisations set off (holds booked in the ledger) finishes before the clock starts.
            await QueuesEmptyAsync();
            return [.. bench.Stripe.State.Events.Skip(seen).Where(e => (string?)e["type"] == "payment_intent.amount_capturable_updated").Select(e => e.ToJsonString())];
        }

        async Task QueuesEmptyAsync() =>
            await UntilAsync(async () => (await Task.WhenAll(Atlas.Functions.Functions.FunctionIndex.App.Queues
                .Select(q => queues.ApproximateCountAsync(Atlas.Functions.Queues.QueueNames.Unprefixed(q.Queue), default)))).All(n => n == 0));

        // Posts each event, a quarter of them twice, in a random order at a steady rate whatever the answers (an open
        // loop, as Stripe sends them), and returns the time until the app had applied them all.
        async Task<TimeSpan> PostAsync(List<string> events, ConcurrentBag<double> acknowledged)
        {
            var posts = events.Concat(events.Take(events.Count / 4)).OrderBy(_ => Random.Shared.Next()).ToList();
            var watch = Stopwatch.StartNew();
            var sending = new List<Task>();
            while (sending.Count < posts.Count)
            {
                var due = Math.Min(posts.Count, (int)(watch.Elapsed.TotalSeconds * offeredPerSecond) + 1);
                while (sending.Count < due)
                {
                    var body = posts[sending.Count];
                    sending.Add(Task.Run(async () =>
                    {
                        var sent = Stopwatch.StartNew();
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                        request.Headers.TryAddWithoutValidation("Stripe-Signature", FakeStripeServer.Sign(body, TestSettings.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
                        using var response = await bench.Client.SendAsync(request);
                        if (!response.IsSuccessStatusCode)
                        {
                            throw new InvalidOperationException($"Webhook refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }

                        acknowledged.Add(sent.Elapsed.TotalMilliseconds);
                    }));
                }

                await Task.Delay(5);
            }

            await Task.WhenAll(sending);
            await UntilAsync(async () => await queues.ApproximateCountAsync(StripeWebhookFunctions.Queue, default) == 0);
            return watch.Elapsed;
        }
    }

    /// <summary>A day of <paramref name="rides"/> completed rides by <paramref name="drivers"/> drivers, booked in the ledger
    /// (a hold and a capture each), then one settlement run: a transfer per driver through the fake Stripe.</summary>
    public static async Task<SettlementFigures> SettlementAsync(int rides, int drivers)
    {
        await using var bench = await BenchApp.StartAsync(runTriggers: false);
        var services = bench.App.Services;
        var ledger = services.GetRequiredService<LedgerStore>();
        var companies = services.GetRequiredService<CompanyStore>();
        var now = DateTimeOffset.UtcNow;
        var expected = new ConcurrentBag<long>();
        await Parallel.ForEachAsync(Enumerable.Range(0, drivers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (d, ct) =>
        {
            var driverId = $"mb_bench{d:D5}";
            await companies.AddMemberAsync("co_bench", new Member(driverId, $"+1555{d:D7}", Role.Driver, now), ct);
            await companies.UpdateDriverAsync("co_bench", driverId, new Dictionary<string, object?> { ["PayoutAccountId"] = $"acct_bench{d:D5}" }, ct);
            var transactions = new List<LedgerTransaction>();
            for (var r = d; r < rides; r += drivers)
            {
                var price = 800 + (r * 37 % 2_200);
                var (_, share) = PlatformFee.Default.Split(price);
                var ride = $"rd_settlebench{r:D6}-1";
                transactions.Add(Entries.Hold($"{ride}:hold-1", "GBP", driverId, ride, now, price + 100));
                transactions.Add(Entries.Capture($"{ride}:capture", "GBP", driverId, ride, now, price + 100, price, share));
                expected.Add(share);
            }

            await ledger.ImportAsync(driverId, "co_bench", transactions, ct);
        });

        // As the settlement timer starts it: the period's orchestration, through the host's Durable client.
        var period = services.GetRequiredService<SettlementRun>().Current;
        await using var durable = bench.App.Host.CreateDurableClient();
        var watch = Stopwatch.StartNew();
        var instanceId = await durable.ScheduleNewOrchestrationInstanceAsync(
            SettlementFlow.Name, SettlementFlow.Start(period.Id, services.GetRequiredService<IOptions<SettlementOptions>>()));
        await UntilAsync(async () => (await durable.GetInstanceAsync(instanceId)) is { IsCompleted: true });
        var settle = watch.Elapsed;
        var lines = await services.GetRequiredService<SettlementStore>().ReadAsync(period.Id, default);
        watch.Restart();
        var reconciled = await services.GetRequiredService<Reconciliation>().CheckAsync(services.GetRequiredService<IStripeApi>(), period, lines, default);
        var reconcile = watch.Elapsed;
        if (reconciled.Mismatches.Count > 0)
        {
            throw new InvalidOperationException($"Reconciliation found {reconciled.Mismatches.Count} mismatches, e.g. {reconciled.Mismatches[0]}.");
        }

        var paid = lines.Where(l => l.Status == Atlas.Core.Settlement.PayoutStatus.Paid).ToList();
        return new SettlementFigures(rides, drivers, paid.Count, settle, reconcile, paid.Sum(l => l.Amount), expected.Sum());
    }

    /// <summary>A probe that times out (Azurite swamped) is "not yet", not a failed benchmark.</summary>
    private static async Task<bool> ProbeAsync(Func<Task<bool>> done)
    {
        try
        {
            return await done();
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static Form Form(Dictionary<string, string> values) => new(values.ToDictionary(p => p.Key, p => new[] { p.Value }));

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var deadline = Stopwatch.StartNew();
        while (!await ProbeAsync(done))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("The benchmark's work did not finish in 5 minutes.");
            }

            await Task.Delay(200);
        }
    }
}
