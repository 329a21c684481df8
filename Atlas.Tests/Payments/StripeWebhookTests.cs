using System.Net;
using System.Text.Json.Nodes;
using Atlas.FakeStripe;
using Atlas.Functions.Webhooks;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;
using static Atlas.Tests.Infrastructure.StripeWebhooks;

namespace Atlas.Tests.Payments;

/// <summary>Stripe's webhooks as they really arrive: signed or not, more than once, at the same time, out of order,
/// of types Atlas does not use.</summary>
public sealed class StripeWebhookTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private const string Unknown = """{"id":"evt_unknown_type_1","object":"event","type":"invoice.paid","created":1795338000,"data":{"object":{"id":"in_1"}}}""";

    public static TheoryData<string> BadSignatures() => ["tampered", "wrong-secret", "stale", "future", "missing", "v0-only"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_bad_signature_is_400_and_nothing_is_recorded(string how)
    {
        var id = $"evt_bad_{how}";
        var body = Unknown.Replace("evt_unknown_type_1", id, StringComparison.Ordinal);
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = how switch
        {
            "wrong-secret" => FakeStripeServer.Sign(body, "whsec_someone_else", now),
            "stale" => FakeStripeServer.Sign(body, TestSettings.WebhookSecret, now - 301),
            "future" => FakeStripeServer.Sign(body, TestSettings.WebhookSecret, now + 301),
            "missing" => null,
            "v0-only" => FakeStripeServer.Sign(body, TestSettings.WebhookSecret, now).Replace("v1=", "v0=", StringComparison.Ordinal),
            _ => FakeStripeServer.Sign(body, TestSettings.WebhookSecret, now),
        };
        var sent = how == "tampered" ? body.Replace("invoice.paid", "invoice.void", StringComparison.Ordinal) : body;

        var response = await PostAsync(app, sent, signature);

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Stripe-Signature", out _));
        Assert.Null(await app.Services.GetRequiredService<StripeEventLog>().FindAsync(id, default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"id":"evt_x","type":"a.b"}""")]
    [InlineData("""{"id":"nope","type":"a.b","created":1,"data":{"object":{}}}""")]
    [InlineData("""{"id":"evt_float","object":"event","type":"a.b","created":1795338000.5,"data":{"object":{"id":"x"}}}""")]
    [InlineData("""{"id":"evt_text","object":"event","type":"payment_intent.succeeded","created":1795338000,"data":{"object":{"id":"pi_1","object":"payment_intent","amount":"lots"}}}""")]
    public async Task A_signed_body_that_is_not_an_event_is_400(string body) =>
        await HttpAssert.ProblemAsync(await PostAsync(app, body, Sign(app, body)), HttpStatusCode.BadRequest);

    [Fact]
    public async Task An_unknown_type_is_acknowledged_recorded_and_ignored()
    {
        var body = Unknown.Replace("1795338000", $"{app.Clock.GetUtcNow().ToUnixTimeSeconds()}", StringComparison.Ordinal);

        var response = await HttpAssert.JsonAsync(await PostAsync(app, body, Sign(app, body)));
        await app.DrainAsync();

        Assert.False(response.GetProperty("duplicate").GetBoolean());
        var record = await app.Services.GetRequiredService<StripeEventLog>().FindAsync("evt_unknown_type_1", default);
        Assert.Equal((StripeEventStatus.Ignored, StripeEventIgnoredReason.NotUsed), (record!.Status, record.Reason));
        Assert.Equal("Atlas does not act on invoice.paid events.", record.Detail);
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task An_event_received_long_ago_and_delivered_again_is_queued_again_and_changes_nothing_twice()
    {
        var (_, company, rideId) = await CompletedRideAsync();
        var dispute = await WithoutDeliveryAsync(app, () => app.Stripe.State.DisputeAsync((string)IntentsOf(app, rideId)[0]["id"]!));
        var created = EventFor(app, dispute, "charge.dispute.created");
        await HttpAssert.JsonAsync(await PostAsync(app, created, Sign(app, created)));
        await app.DrainAsync();

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var redelivered = await HttpAssert.JsonAsync(await PostAsync(app, created, Sign(app, created)));
        var queued = await app.Services.GetRequiredService<Atlas.Functions.Queues.IQueueClient>().ApproximateCountAsync(StripeWebhookFunctions.Queue, default);
        await app.DrainAsync();

        Assert.False(redelivered.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, queued);
        Assert.Single(TopicsSentTo(app, company.Driver.UserId), t => t == "payout.held");
    }

    [Fact]
    public async Task The_same_event_eight_times_at_once_is_recorded_once_and_applied_once()
    {
        var (_, company, rideId) = await CompletedRideAsync();
        var dispute = await WithoutDeliveryAsync(app, () => app.Stripe.State.DisputeAsync((string)IntentsOf(app, rideId)[0]["id"]!));
        var created = EventFor(app, dispute, "charge.dispute.created");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await HttpAssert.JsonAsync(await PostAsync(app, created, Sign(app, created)))));
        var accepted = await app.Services.GetRequiredService<Atlas.Functions.Lifecycles.Lifecycle<Atlas.Core.Payments.Escrow, Atlas.Core.Payments.EscrowCommand>>().GetAsync(rideId, default);
        await app.DrainAsync();
        var later = await HttpAssert.JsonAsync(await PostAsync(app, created, Sign(app, created)));
        await app.DrainAsync();

        Assert.Single(answers, a => !a.GetProperty("duplicate").GetBoolean());
        Assert.Null(accepted.State.Dispute);
        Assert.True(later.GetProperty("duplicate").GetBoolean());
        Assert.Single(TopicsSentTo(app, company.Driver.UserId), t => t == "payout.held");
        Assert.Equal("open", (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("dispute").GetString());
    }

    [Fact]
    public async Task An_older_failure_arriving_after_the_authorisation_is_dropped_unread_and_nothing_moves_back()
    {
        var (rider, rideId, authorised, askedAt) = await AuthorisedAfter3DSecureAsync();
        var olderFailure = Older(authorised, "evt_older_failure", "payment_intent.payment_failed", askedAt, o => o["status"] = "requires_payment_method");
        var calls = app.Stripe.Requests.Count;

        await HttpAssert.JsonAsync(await PostAsync(app, olderFailure, Sign(app, olderFailure)));
        await app.DrainAsync();

        Assert.Equal("authorised", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
        Assert.Equal(calls, app.Stripe.Requests.Count);
        Assert.DoesNotContain("payment.declined", TopicsSentTo(app, rider.UserId));
    }

    [Fact]
    public async Task An_older_lapse_arriving_after_the_authorisation_is_stale_and_the_intent_is_read_back_instead()
    {
        var (rider, rideId, authorised, askedAt) = await AuthorisedAfter3DSecureAsync();
        var olderLapse = Older(authorised, "evt_older_lapse", "payment_intent.canceled", askedAt, o =>
        {
            o["status"] = "canceled";
            o["cancellation_reason"] = "expired";
        });
        var reads = StripeCalls(app, "GET", "/v1/payment_intents/");

        await HttpAssert.JsonAsync(await PostAsync(app, olderLapse, Sign(app, olderLapse)));
        await app.DrainAsync();

        Assert.Equal("authorised", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
        Assert.Equal(reads + 1, StripeCalls(app, "GET", "/v1/payment_intents/"));
        Assert.Single(IntentsOf(app, rideId));
    }

    /// <summary>A ride whose rider passed 3-D Secure 30 s after it was asked for, the authorisation applied from its
    /// webhook; returns that event and when 3-D Secure was asked for.</summary>
    private async Task<(SignedIn Rider, string RideId, string Authorised, DateTimeOffset AskedAt)> AuthorisedAfter3DSecureAsync()
    {
        var rider = await Accounts.SignInAsync(app);
        await Accounts.AddCardAsync(rider, "pm_card_authenticationRequired");
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await WithoutDeliveryAsync(app, () => AssignedRideAsync(app, rider, company));
        var intent = IntentsOf(app, rideId)[0];
        var askedAt = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await WithoutDeliveryAsync(app, () => app.Stripe.State.AuthenticateAsync((string)intent["id"]!, succeed: true));
        var authorised = EventFor(app, intent, "payment_intent.amount_capturable_updated");
        await HttpAssert.JsonAsync(await PostAsync(app, authorised, Sign(app, authorised)));
        await app.DrainAsync();
        Assert.Equal("authorised", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
        return (rider, rideId, authorised, askedAt);
    }

    /// <summary>An event Stripe sent before <paramref name="newer"/> about the same intent, delivered late (Stripe does not keep order).</summary>
    private static string Older(string newer, string id, string type, DateTimeOffset created, Action<JsonObject> intent)
    {
        var e = JsonNode.Parse(newer)!.AsObject();
        e["id"] = id;
        e["type"] = type;
        e["created"] = created.ToUnixTimeSeconds();
        intent(e["data"]!["object"]!.AsObject());
        return e.ToJsonString();
    }

    private async Task<(SignedIn Rider, TestCompany Company, string RideId)> CompletedRideAsync()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        return (rider, company, rideId);
    }
}
