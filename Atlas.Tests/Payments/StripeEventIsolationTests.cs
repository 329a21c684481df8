using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Functions.Queues;
using Atlas.Functions.Stripe;
using Atlas.Functions.Webhooks;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;
using static Atlas.Tests.Infrastructure.StripeWebhooks;

namespace Atlas.Tests.Payments;

/// <summary>Once acknowledged, each Stripe event is applied, retried or recorded as failed on its own: events that share
/// a queue message never share a fate, and a Stripe outage is waited out, not given up on after seconds.</summary>
public sealed class StripeEventIsolationTests
{
    [Fact]
    public async Task A_dispute_closing_among_unusable_and_foreign_events_posted_at_once_is_applied()
    {
        await using var app = new AtlasAppFactory();
        var (company, rideId, dispute) = await DisputedRideAsync(app);
        await WithoutDeliveryAsync(app, () => app.Stripe.State.CloseDisputeAsync((string)dispute["id"]!, won: true));
        var closed = EventFor(app, dispute, "charge.dispute.closed");
        var foreign = Event("evt_foreign_intent", "payment_intent.succeeded", app, new JsonObject
        {
            ["id"] = "pi_from_another_app",
            ["object"] = "payment_intent",
            ["status"] = "succeeded",
            ["amount"] = 4_200,
            ["metadata"] = new JsonObject { ["ride_id"] = "ride 42 (other app)" },
        });
        var customers = Enumerable.Range(1, 8).Select(i => Event($"evt_customer_{i}", "customer.updated", app, new JsonObject { ["id"] = $"cus_{i}", ["object"] = "customer" }));

        var bodies = customers.Append(foreign).Concat(Enumerable.Repeat(closed, 5)).ToList();
        var answers = await Task.WhenAll(bodies.Select(body => PostSignedAsync(app, body)));
        await app.DrainAsync();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal("won", (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString());
        Assert.Contains("payout.released", TopicsSentTo(app, company.Driver.UserId));
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task Events_that_can_never_apply_are_recorded_as_failed_each_on_its_own_and_their_batch_mates_are_applied()
    {
        await using var app = new AtlasAppFactory();
        var (company, rideId, dispute) = await DisputedRideAsync(app);
        await WithoutDeliveryAsync(app, () => app.Stripe.State.CloseDisputeAsync((string)dispute["id"]!, won: true));
        var closed = EventFor(app, dispute, "charge.dispute.closed");
        var noStatus = Event("evt_intent_without_status", "payment_intent.succeeded", app, new JsonObject
        {
            ["id"] = "pi_no_status",
            ["object"] = "payment_intent",
            ["amount"] = 100,
            ["metadata"] = new JsonObject { ["ride_id"] = rideId },
        });
        var notOnStripe = Event("evt_too_big_and_unknown", "payment_intent.succeeded", app, new JsonObject
        {
            ["id"] = "pi_big",
            ["object"] = "payment_intent",
            ["description"] = new string('x', 50_000),
        });
        var emptyRide = Event("evt_empty_ride", "payment_intent.succeeded", app, new JsonObject
        {
            ["id"] = "pi_empty_ride",
            ["object"] = "payment_intent",
            ["status"] = "succeeded",
            ["amount"] = 100,
            ["metadata"] = new JsonObject { ["ride_id"] = "" },
        });

        var noAmount = Event("evt_intent_without_amount", "payment_intent.succeeded", app, new JsonObject
        {
            ["id"] = "pi_no_amount",
            ["object"] = "payment_intent",
            ["status"] = "succeeded",
            ["metadata"] = new JsonObject { ["ride_id"] = rideId },
        });

        var answers = await Task.WhenAll(new[] { noStatus, notOnStripe, emptyRide, noAmount, closed }.Select(body => PostSignedAsync(app, body)));
        await app.DrainAsync();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal("won", (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString());
        var admin = await Accounts.PlatformAdminAsync(app);
        var failed = await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events?status=failed"));
        Assert.Equal(
            ["evt_intent_without_amount", "evt_intent_without_status", "evt_too_big_and_unknown"],
            failed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        var empty = await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events/evt_empty_ride"));
        Assert.Equal(("ignored", "notOurs"), (empty.GetProperty("status").GetString(), empty.GetProperty("reason").GetString()));
        var one = await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events/evt_intent_without_status"));
        Assert.Equal("failed", one.GetProperty("status").GetString());
        Assert.Contains("has no status", one.GetProperty("error").GetString(), StringComparison.Ordinal);
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task A_stripe_outage_while_applying_an_event_is_retried_alone_later_and_the_event_then_applies()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Stripe:EventRetryDelay"] = "00:00:01" });
        var (rider, rideId, authorised) = await AuthenticatedNotDeliveredAsync(app);
        var other = Event("evt_bystander", "customer.updated", app, new JsonObject { ["id"] = "cus_x", ["object"] = "customer" });

        // The authorisation event needs the intent read back (events do not expand the charge); Stripe is down.
        app.Stripe.Inject(503, count: 2, path: "/v1/payment_intents");
        await Task.WhenAll(PostSignedAsync(app, authorised), PostSignedAsync(app, other));
        await app.PumpAsync();
        var waiting = await app.Services.GetRequiredService<IQueueClient>().ApproximateCountAsync(StripeEventQueue.Queue, default);
        var statusDuringOutage = (await PaymentAsync(rider, rideId)).GetProperty("status").GetString();

        await WaitUntilAsync(app, async () => (await PaymentAsync(rider, rideId)).GetProperty("status").GetString() == "authorised");

        Assert.Equal("actionRequired", statusDuringOutage);
        Assert.Equal(1, waiting);
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task An_event_that_keeps_failing_ends_in_the_poison_queue_alone_and_is_listed_as_failed()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["Stripe:EventRetryDelay"] = "00:00:01",
            ["Stripe:EventMaxAttempts"] = "2",
        });
        var (_, _, authorised) = await AuthenticatedNotDeliveredAsync(app);
        var id = JsonNode.Parse(authorised)!["id"]!.GetValue<string>();
        var queues = app.Services.GetRequiredService<IQueueClient>();

        var readsBefore = StripeCalls(app, "GET", "/v1/payment_intents/");
        app.Stripe.Inject(503, count: 100, path: "/v1/payment_intents");
        await PostSignedAsync(app, authorised);
        await WaitUntilAsync(app, async () => await queues.ApproximateCountAsync(StripeEventQueue.PoisonQueue, default) == 1);
        app.Stripe.ClearFaults();

        var poisoned = Assert.Single(await queues.ReceiveAsync(StripeEventQueue.PoisonQueue, 32, TimeSpan.FromMinutes(1), default));
        var (attempts, events) = StripeEventQueue.Read(poisoned.Text);
        Assert.Equal(2, attempts);
        Assert.Equal(id, JsonNode.Parse(Assert.Single(events).Json!)!["id"]!.GetValue<string>());
        var record = await app.Services.GetRequiredService<StripeEventLog>().FindAsync(id, default);
        Assert.Equal((StripeEventStatus.Failed, 2), (record!.Status, record.Attempts));

        // One read of the intent per attempt: the event's counter is the only retry, no client's tries nested in it.
        Assert.Equal(readsBefore + 2, StripeCalls(app, "GET", "/v1/payment_intents/"));
    }

    [Fact]
    public async Task An_event_in_another_api_version_is_applied_from_the_intent_read_fresh_in_the_pinned_version()
    {
        await using var app = new AtlasAppFactory();
        var (rider, rideId, authorised) = await AuthenticatedNotDeliveredAsync(app);
        var older = JsonNode.Parse(authorised)!.AsObject();
        older["api_version"] = "2024-06-20";

        // In that version's shape the object would say nothing Atlas could trust; only its id is used.
        older["data"]!["object"] = new JsonObject { ["id"] = older["data"]!["object"]!["id"]!.DeepClone(), ["object"] = "payment_intent", ["status"] = "requires_confirmation" };
        var reads = StripeCalls(app, "GET", "/v1/payment_intents/");

        await HttpAssert.JsonAsync(await PostSignedAsync(app, older.ToJsonString()));
        await app.DrainAsync();

        Assert.Equal("authorised", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
        Assert.Equal(reads + 1, StripeCalls(app, "GET", "/v1/payment_intents/"));
    }

    [Fact]
    public async Task A_dispute_event_in_another_api_version_is_read_back_from_stripe()
    {
        await using var app = new AtlasAppFactory();
        var (company, rideId, dispute) = await DisputedRideAsync(app);
        await WithoutDeliveryAsync(app, () => app.Stripe.State.CloseDisputeAsync((string)dispute["id"]!, won: true));
        var closed = JsonNode.Parse(EventFor(app, dispute, "charge.dispute.closed"))!.AsObject();
        closed["api_version"] = "2023-10-16";
        closed["data"]!["object"]!["status"] = "under_review";

        await HttpAssert.JsonAsync(await PostSignedAsync(app, closed.ToJsonString()));
        await app.DrainAsync();

        Assert.Equal(1, StripeCalls(app, "GET", "/v1/disputes/"));
        Assert.Equal("won", (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString());
    }

    [Fact]
    public void The_retry_delay_doubles_from_the_first_up_to_its_ceiling_and_the_attempts_span_hours()
    {
        var options = new StripeOptions();

        var delays = Enumerable.Range(1, options.EventMaxAttempts - 1).Select(options.EventRetryDelayAfter).ToList();

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], delays.Take(3));
        Assert.Equal(TimeSpan.FromHours(2), delays.Max());
        Assert.InRange(delays.Aggregate(TimeSpan.Zero, (a, b) => a + b), TimeSpan.FromHours(10), TimeSpan.FromHours(24));
    }

    [Fact]
    public void A_message_in_the_format_before_retries_counted_reads_as_never_failed()
    {
        var (attempt, events) = StripeEventQueue.Read("""[{"id":"evt_1"},"evt_2"]""");

        Assert.Equal(0, attempt);
        Assert.Equal([new StripeEventItem("""{"id":"evt_1"}""", null), new StripeEventItem(null, "evt_2")], events);
    }

    /// <summary>A completed ride whose charge the rider disputed, the dispute applied (the driver's share frozen).</summary>
    private static async Task<(TestCompany Company, string RideId, JsonObject Dispute)> DisputedRideAsync(AtlasAppFactory app)
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var dispute = await app.Stripe.State.DisputeAsync((string)IntentsOf(app, rideId)[0]["id"]!);
        await app.DrainAsync();
        Assert.Equal("open", (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString());
        return (company, rideId, dispute);
    }

    /// <summary>A ride whose rider passed 3-D Secure at Stripe; its authorisation event is not delivered yet.</summary>
    private static async Task<(SignedIn Rider, string RideId, string Authorised)> AuthenticatedNotDeliveredAsync(AtlasAppFactory app)
    {
        var rider = await Accounts.SignInAsync(app);
        await Accounts.AddCardAsync(rider, "pm_card_authenticationRequired");
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await WithoutDeliveryAsync(app, () => AssignedRideAsync(app, rider, company));
        var intent = IntentsOf(app, rideId)[0];
        await WithoutDeliveryAsync(app, () => app.Stripe.State.AuthenticateAsync((string)intent["id"]!, succeed: true));
        return (rider, rideId, EventFor(app, intent, "payment_intent.amount_capturable_updated"));
    }

    private static string Event(string id, string type, AtlasAppFactory app, JsonObject obj) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["type"] = type,
        ["api_version"] = StripeApi.ApiVersion,
        ["created"] = app.Clock.GetUtcNow().ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["data"] = new JsonObject { ["object"] = obj },
    }.ToJsonString();

    /// <summary>Runs the queue functions until the condition holds: a retried event waits out its delay on the queue
    /// (in the storage service's own time, a second here), so this waits on the thing itself, with a deadline.</summary>
    private static async Task WaitUntilAsync(AtlasAppFactory app, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            if (await app.PumpAsync() == 0)
            {
                await Task.Delay(50);
            }
        }
    }
}
