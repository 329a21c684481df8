using System.Text.Json;
using Atlas.Functions.Notifications;
using Atlas.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Rides;

/// <summary>
/// A ride with payment, crashed at each of its steps: the worker killed (its invocations fail, its Durable work items
/// are left unfinished), or the host stopped and started again over the same storage and task hub. A Stripe step is
/// crashed while Stripe holds back the answer to a call it has already carried out. Every ride must end once —
/// one PaymentIntent, one capture, one transfer to its driver — with every notice delivered, every deadline flow
/// completed, nothing poisoned, and the ledger agreeing with Stripe.
/// </summary>
public sealed class RideCrashTests
{
    // What happens to a ride, one step at a time. A crash follows the step; at a step whose effects call Stripe, it
    // strikes while the triggers carry them out, with Stripe holding back its answer.
    private static readonly (string Name, string? StripeCall, Func<Journey, Task> Run)[] Steps =
    [
        ("booked", null, async j =>
        {
            var booking = await HttpAssert.JsonAsync(await PostBookingAsync(j.Rider, new { quoteId = (await QuoteAsync(j.Rider)).GetProperty("quoteId").GetString() }, Guid.NewGuid().ToString()), System.Net.HttpStatusCode.Created);
            j.BookingId = booking.GetProperty("id").GetString();
            j.Fare = QuoteTotal(booking);
        }),
        ("bid", null, async j =>
        {
            await j.App.DrainAsync();
            await HttpAssert.JsonAsync(await BidAsync(j.Company.Driver, j.BookingId!, j.Fare));
        }),
        ("the window closed and the hold was authorised", "/v1/payment_intents", j =>
        {
            j.App.Clock.Advance(TimeSpan.FromSeconds(61));
            return Task.CompletedTask;
        }),
        ("set off", null, async j =>
        {
            await j.App.DrainAsync();
            var assigned = await GetBookingAsync(j.Rider, j.BookingId!);
            Assert.Equal("assigned", assigned.GetProperty("status").GetString());
            j.RideId = assigned.GetProperty("assignment").GetProperty("rideId").GetString();
            await HttpAssert.JsonAsync(await RideActionAsync(j.Company.Driver, j.RideId!, "set-off"));
        }),
        ("arrived", null, async j => await HttpAssert.JsonAsync(await RideActionAsync(j.Company.Driver, j.RideId!, "arrive"))),
        ("started", null, async j =>
        {
            var code = (await GetRideAsync(j.Rider, j.RideId!)).GetProperty("startCode").GetString();
            await HttpAssert.JsonAsync(await RideActionAsync(j.Company.Driver, j.RideId!, "start", new { code }));
        }),
        ("completed and captured", "/v1/payment_intents", async j => await HttpAssert.JsonAsync(await RideActionAsync(j.Company.Driver, j.RideId!, "complete"))),
    ];

    private static readonly string[] RiderTopics = ["booking.assigned", "ride.driver-en-route", "ride.driver-arrived", "ride.started", "ride.completed"];

    [Theory]
    [InlineData("worker")]
    [InlineData("host")]
    public async Task A_crash_at_each_step_of_a_ride_with_payment_ends_every_ride_once(string crashing)
    {
        var sms = new SmsRecorder(TimeProvider.System);
        var push = new PushRecorder(TimeProvider.System);
        await using var app = new AtlasAppFactory(
            new Dictionary<string, string?>
            {
                // A message whose invocation died comes back at once, not after host.json's 5 s.
                ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
                // An episode or activity the stop cut short is run again after seconds, not host.json's 5 minutes.
                ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:controlQueueVisibilityTimeout"] = "00:00:05",
                ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:workItemQueueVisibilityTimeout"] = "00:00:05",
            },
            services: s =>
            {
                // The outside world outlives the app's processes: what was sent before a crash stays sent.
                s.AddSingleton(sms);
                s.AddSingleton(push);
            });

        var journeys = new List<Journey>();
        for (var crashAt = 0; crashAt < Steps.Length; crashAt++)
        {
            var journey = await Journey.StartAsync(app);
            journeys.Add(journey);
            for (var step = 0; step < Steps.Length; step++)
            {
                await Steps[step].Run(journey);
                if (step == crashAt)
                {
                    await CrashAsync(app, crashing, Steps[step].StripeCall, app.DrainAsync);
                }
                else if (Steps[step].StripeCall is not null)
                {
                    await app.DrainAsync();
                }
            }
        }

        await app.DrainAsync();
        for (var i = 0; i < journeys.Count; i++)
        {
            await PayoutAccountAsync(journeys[i].Company.Driver, $"acct_crash{i}");
        }

        // Settlement, crashed while Stripe holds back a transfer it has made.
        JsonElement report = default;
        await CrashAsync(app, crashing, "/v1/transfers", async () => report = await SettleAsync(app));
        report = await SettleAsync(app);

        foreach (var journey in journeys)
        {
            var intent = Assert.Single(IntentsOf(app, journey.RideId!));
            Assert.Equal("succeeded", (string?)intent["status"]);
            Assert.Single(app.Stripe.Requests.Where(r => r.Method == "POST" && r.Path == $"/v1/payment_intents/{intent["id"]}/capture").Select(r => r.IdempotencyKey).Distinct());
            Assert.Equal("captured", (await PaymentAsync(journey.Rider, journey.RideId!)).GetProperty("status").GetString());
            Assert.Equal("paid", LineOf(report, journey.Company.Driver.MemberId!).GetProperty("status").GetString());
            var topics = push.SentTo(journey.Rider.UserId).Select(p => p.Message.Topic).ToList();
            Assert.All(RiderTopics, topic => Assert.Single(topics, t => t == topic));
            Assert.Single(push.SentTo(journey.Company.Driver.UserId), p => p.Message.Topic == "bid.won");
        }

        var transfers = app.Stripe.State.Events.Where(e => (string?)e["type"] == "transfer.created").Select(e => e["data"]!["object"]!).ToList();
        Assert.True(journeys.Count == transfers.Count, string.Join("\n", transfers.Select(t => $"{t["id"]} {t["destination"]} {t["amount"]} {t["metadata"]?.ToJsonString()}"))
            + "\n" + string.Join("\n", app.Stripe.Requests.Where(r => r.Path == "/v1/transfers").Select(r => $"{r.IdempotencyKey} {r.Body}")));
        var admin = await Accounts.PlatformAdminAsync(app);
        var reconciled = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/settlements/{report.GetProperty("period").GetString()}?reconcile=true"));
        Assert.Equal(0, reconciled.GetProperty("reconciliation").GetProperty("mismatches").GetArrayLength());
        await AssertNothingPoisonedAsync(app);
        await foreach (var flow in app.Durable.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "deadline-" }))
        {
            Assert.True(flow.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Running, $"{flow.InstanceId} is {flow.RuntimeStatus}");
        }
    }

    /// <summary>Crashes: at once, or — with a Stripe call named — while <paramref name="work"/> waits for Stripe's
    /// answer to a call Stripe has carried out; then runs <paramref name="work"/> again, as its trigger or caller would.</summary>
    private static async Task CrashAsync(AtlasAppFactory app, string crashing, string? stripeCall, Func<Task> work)
    {
        if (stripeCall is null)
        {
            await CrashAsync(app, crashing);
            await work();
            return;
        }

        int Calls() => app.Stripe.Requests.Count(r => r.Path.StartsWith(stripeCall, StringComparison.Ordinal));
        var before = Calls();
        app.Stripe.Inject(status: 0, path: stripeCall, delay: TimeSpan.FromSeconds(30));
        var running = Task.Run(work);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Calls() == before)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60) && !running.IsCompleted, $"Stripe was never called at {stripeCall}: {running.Exception}");
            await Task.Delay(20);
        }

        await CrashAsync(app, crashing);
        app.Stripe.ClearFaults();
        try
        {
            await running;
        }
        catch (Exception)
        {
            // What the crash cut short: run again below.
        }

        await work();
    }

    private static Task CrashAsync(AtlasAppFactory app, string crashing) =>
        crashing == "worker" ? app.App.KillWorkerAsync() : app.RestartHostAsync();

    /// <summary>One ride's cast and what the steps learn along the way.</summary>
    private sealed class Journey(AtlasAppFactory app, SignedIn rider, TestCompany company)
    {
        public AtlasAppFactory App => app;

        public SignedIn Rider => rider;

        public TestCompany Company => company;

        public string? BookingId { get; set; }

        public string? RideId { get; set; }

        public long Fare { get; set; }

        public static async Task<Journey> StartAsync(AtlasAppFactory app)
        {
            var company = await TestCompany.CreateAsync(app);
            await ReadyAsync(company.Driver, company.VehicleId);
            return new Journey(app, await Accounts.SignInAsync(app), company);
        }
    }
}
