using System.Text.Json;
using Atlas.Functions.Stripe;
using Atlas.Functions.Telemetry;
using Atlas.Functions.Webhooks;
using Atlas.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;
using static Atlas.Tests.Infrastructure.StripeWebhooks;

namespace Atlas.Tests.Payments;

/// <summary>Stripe events no webhook brought (an endpoint down for longer than Stripe retries, a wrong secret, a lost
/// delivery) are found by the catch-up timer in Stripe's list of events and applied as the webhook would have, once;
/// the ops view and <c>atlas.stripe.events_caught_up</c> say how many (issue 23, part 3).</summary>
public sealed class StripeCatchUpTests : IAsyncLifetime
{
    private readonly List<Metric> _metrics = [];
    private readonly AtlasAppFactory _app;

    public StripeCatchUpTests() =>
        _app = new AtlasAppFactory(new Dictionary<string, string?>(), services: s => s.AddOpenTelemetry().WithAtlasSignals()
            .WithMetrics(m => m.AddInMemoryExporter(_metrics)));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task With_webhooks_off_for_a_rides_whole_payment_the_catch_up_brings_the_escrow_to_each_state_once_and_counts_them()
    {
        _app.Stripe.DeliverWebhooks = false;
        var rider = await Accounts.SignInAsync(_app);
        await Accounts.AddCardAsync(rider, "pm_card_authenticationRequired");
        var company = await TestCompany.CreateAsync(_app);
        await PayoutAccountAsync(company.Driver, "acct_catchup1");
        var (_, rideId) = await AssignedRideAsync(_app, rider, company);
        var intentId = (string)Assert.Single(IntentsOf(_app, rideId))["id"]!;

        // The rider's bank passes 3-D Secure: only Stripe's event says so.
        await _app.Stripe.State.AuthenticateAsync(intentId, succeed: true);
        await _app.DrainAsync();
        var beforeCatchUp = await StatusAsync(rider, rideId);
        await CatchUpAsync();
        var afterCatchUp = await StatusAsync(rider, rideId);

        await CompleteAsync(_app, rider, company.Driver, rideId);
        var dispute = await _app.Stripe.State.DisputeAsync(intentId);
        await _app.DrainAsync();
        var disputeBeforeCatchUp = (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").ValueKind;
        await CatchUpAsync();
        var disputeOpened = (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString();
        await _app.Stripe.State.CloseDisputeAsync((string)dispute["id"]!, won: true);
        await CatchUpAsync();
        var disputeClosed = (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString();

        // Again: nothing new. Then the deliveries come after all, late: each is a duplicate, and nothing changes.
        await CatchUpAsync();
        _app.Stripe.DeliverWebhooks = true;
        var missed = _app.Stripe.State.Events.Where(e => StripeEventProcessor.ActsOn.Contains((string)e["type"]!)).ToList();
        var late = await Task.WhenAll(missed.Select(async e => await HttpAssert.JsonAsync(await PostSignedAsync(_app, e.ToJsonString()))));
        await _app.DrainAsync();

        Assert.Equal(("actionRequired", "authorised"), (beforeCatchUp, afterCatchUp));
        Assert.Equal("captured", await StatusAsync(rider, rideId));
        Assert.Equal((JsonValueKind.Null, "open", "won"), (disputeBeforeCatchUp, disputeOpened, disputeClosed));
        Assert.Single(TopicsSentTo(_app, company.Driver.UserId), t => t == "payout.held");
        Assert.Single(TopicsSentTo(_app, company.Driver.UserId), t => t == "payout.released");
        Assert.All(late, a => Assert.True(a.GetProperty("duplicate").GetBoolean()));

        // The authorisation, the capture, the dispute opened and closed: four events, each caught up once.
        Assert.Equal(
            ["payment_intent.amount_capturable_updated", "payment_intent.succeeded", "charge.dispute.created", "charge.dispute.closed"],
            missed.Select(e => (string)e["type"]!));
        var admin = await Accounts.PlatformAdminAsync(_app);
        var catchUp = (await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events"))).GetProperty("catchUp");
        Assert.Equal((4L, 0), (catchUp.GetProperty("caughtUp").GetInt64(), catchUp.GetProperty("lastRunCaughtUp").GetInt32()));
        Assert.Equal(missed[^1]["id"]!.GetValue<string>(), catchUp.GetProperty("newestSeenId").GetString());
        foreach (var e in missed)
        {
            var record = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/stripe-events/{e["id"]}"));
            Assert.Equal(("catchUp", "received"), (record.GetProperty("source").GetString(), record.GetProperty("status").GetString()));
        }

        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Assert.Equal(4, CaughtUp());
        await AssertNothingPoisonedAsync(_app);
    }

    [Fact]
    public async Task Events_the_webhook_brought_are_listed_and_left()
    {
        var rider = await Accounts.SignInAsync(_app);
        var company = await TestCompany.CreateAsync(_app);
        var (_, rideId) = await AssignedRideAsync(_app, rider, company);
        await CompleteAsync(_app, rider, company.Driver, rideId);

        var run = await _app.Services.GetRequiredService<StripeCatchUp>().RunAsync(CancellationToken.None);
        var queued = await _app.Services.GetRequiredService<Atlas.Functions.Queues.IQueueClient>().ApproximateCountAsync(StripeEventQueue.Queue, default);

        Assert.Equal((2, 0, 0L), (run.LastRunListed, run.LastRunCaughtUp, run.CaughtUp));
        Assert.Equal(0, queued);
        Assert.Equal(_app.Clock.GetUtcNow() - TimeSpan.FromDays(3), run.LastRunFrom);
    }

    [Fact]
    public void A_run_lists_from_the_overlap_before_the_newest_event_seen_and_never_before_what_stripe_keeps()
    {
        var options = new StripeOptions();
        var now = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(now - TimeSpan.FromDays(3), StripeCatchUp.From(null, now, options));
        Assert.Equal(now - TimeSpan.FromMinutes(15), StripeCatchUp.From(now - TimeSpan.FromMinutes(10), now, options));
        Assert.Equal(now - TimeSpan.FromDays(30), StripeCatchUp.From(now - TimeSpan.FromDays(45), now, options));
    }

    /// <summary>The timer fires, through the host, and what it queued is applied.</summary>
    private async Task CatchUpAsync()
    {
        await _app.App.Host.FireTimerAsync(StripeCatchUpFunction.Name);
        await _app.DrainAsync();
    }

    private static async Task<string?> StatusAsync(SignedIn caller, string rideId) =>
        (await PaymentAsync(caller, rideId)).GetProperty("status").GetString();

    private long CaughtUp()
    {
        long sum = 0;
        foreach (var metric in _metrics.Where(m => m.Name == "atlas.stripe.events_caught_up").TakeLast(1))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                sum += point.GetSumLong();
            }
        }

        return sum;
    }
}
