using System.Net;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Payments;

/// <summary>What can happen to a ride's money after it is captured: refunds (before and after the payout), tips,
/// disputes (frozen, won, lost after the payout), and a hold that would lapse before a long ride ends.</summary>
public sealed class AfterCaptureTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_refund_after_the_payout_takes_the_drivers_share_back_from_the_transfer_once()
    {
        var (rider, company, rideId, price, share) = await CompletedRideAsync();
        await PayoutAccountAsync(company.Driver, "acct_refunds1");
        var paid = LineOf(await SettleAsync(app), company.Driver.MemberId!);
        var half = price / 2;

        var first = await RefundAsync(app, rideId, half, "refund-1");
        var replay = await RefundAsync(app, rideId, half, "refund-1");
        var reused = await RefundAsync(app, rideId, half + 1, "refund-1");
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await HttpAssert.ProblemAsync(reused, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, StripeCalls(app, "POST", "/v1/refunds"));
        Assert.Equal(half, (await PaymentAsync(rider, rideId)).GetProperty("refunded").GetInt64());
        var transfer = app.Stripe.State.Find(paid.GetProperty("transferId").GetString()!)!;
        var driverPart = (long)Math.Round((decimal)half * share / price, MidpointRounding.ToEven);
        Assert.Equal(driverPart, (long)transfer["amount_reversed"]!);
        Assert.Contains("payment.refunded", TopicsSentTo(app, rider.UserId));
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task A_refund_before_the_payout_lowers_the_payout_instead()
    {
        var (_, company, rideId, price, share) = await CompletedRideAsync();
        await PayoutAccountAsync(company.Driver, "acct_refunds2");

        await HttpAssert.JsonAsync(await RefundAsync(app, rideId, price, "refund-all"), HttpStatusCode.Accepted);
        await app.DrainAsync();
        var report = await SettleAsync(app);

        Assert.DoesNotContain(report.GetProperty("lines").EnumerateArray(), l => l.GetProperty("driverId").GetString() == company.Driver.MemberId);
        Assert.True(share > 0);
        await HttpAssert.ProblemAsync(await RefundAsync(app, rideId, 1, "refund-more"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_tip_is_charged_separately_and_paid_to_the_driver_whole()
    {
        var (rider, company, rideId, _, share) = await CompletedRideAsync();
        await PayoutAccountAsync(company.Driver, "acct_tips1");

        var tipped = await PostTipAsync(rider, rideId, 300, "tip-1");
        await PostTipAsync(rider, rideId, 300, "tip-1");
        await app.DrainAsync();
        var line = LineOf(await SettleAsync(app), company.Driver.MemberId!);

        Assert.Equal(HttpStatusCode.Accepted, tipped.StatusCode);
        Assert.Equal(300, (await PaymentAsync(rider, rideId)).GetProperty("tip").GetInt64());
        Assert.Equal(share + 300, line.GetProperty("amount").GetInt64());
        Assert.Single(app.Stripe.State.Events, e => (string?)e["type"] == "payment_intent.succeeded" && (string?)e["data"]!["object"]!["metadata"]?["tip_id"] is not null && (string?)e["data"]!["object"]!["metadata"]!["ride_id"] == rideId);
        Assert.Contains("tip.received", TopicsSentTo(app, company.Driver.UserId));
        await HttpAssert.ProblemAsync(await PostTipAsync(rider, rideId, 300, "tip-2"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_dispute_holds_the_drivers_share_and_a_won_dispute_pays_it_at_the_next_settlement()
    {
        var (_, company, rideId, _, share) = await CompletedRideAsync();
        await PayoutAccountAsync(company.Driver, "acct_disputes1");

        var dispute = await app.Stripe.State.DisputeAsync((string)IntentsOf(app, rideId)[0]["id"]!);
        await app.DrainAsync();
        var frozen = LineOf(await SettleAsync(app), company.Driver.MemberId!);
        await app.Stripe.State.CloseDisputeAsync((string)dispute["id"]!, won: true);
        await app.DrainAsync();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var released = LineOf(await SettleAsync(app), company.Driver.MemberId!);

        Assert.Equal(("held", 0L, share), (frozen.GetProperty("status").GetString(), frozen.GetProperty("amount").GetInt64(), frozen.GetProperty("held").GetInt64()));
        Assert.Equal(("paid", share, 0L), (released.GetProperty("status").GetString(), released.GetProperty("amount").GetInt64(), released.GetProperty("held").GetInt64()));
        Assert.Contains("payout.held", TopicsSentTo(app, company.Driver.UserId));
        Assert.Contains("payout.released", TopicsSentTo(app, company.Driver.UserId));
    }

    [Fact]
    public async Task A_dispute_after_the_payout_reverses_the_transfer_and_a_lost_one_is_absorbed_by_the_platform()
    {
        var (_, company, rideId, _, share) = await CompletedRideAsync();
        await PayoutAccountAsync(company.Driver, "acct_disputes2");
        var paid = LineOf(await SettleAsync(app), company.Driver.MemberId!);

        var dispute = await app.Stripe.State.DisputeAsync((string)IntentsOf(app, rideId)[0]["id"]!);
        await app.DrainAsync();
        var reversed = (long)app.Stripe.State.Find(paid.GetProperty("transferId").GetString()!)!["amount_reversed"]!;
        await app.Stripe.State.CloseDisputeAsync((string)dispute["id"]!, won: false);
        await app.DrainAsync();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var next = LineOf(await SettleAsync(app), company.Driver.MemberId!);

        Assert.Equal(share, reversed);
        Assert.Equal(("paid", share), (next.GetProperty("status").GetString(), next.GetProperty("amount").GetInt64()));
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task A_hold_that_would_lapse_during_a_long_ride_is_renewed_and_the_new_one_captured()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var code = (await GetRideAsync(rider, rideId)).GetProperty("startCode").GetString();
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "set-off"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "start", new { code }));

        app.Clock.Advance(TimeSpan.FromDays(6) + TimeSpan.FromMinutes(1));
        await app.DrainAsync();
        var driver = await Accounts.RefreshAsync(app, company.Driver);
        await HttpAssert.JsonAsync(await RideActionAsync(driver, rideId, "complete"));
        await app.DrainAsync();

        var intents = IntentsOf(app, rideId).OrderBy(i => (long)i["created"]!).ToList();
        Assert.Equal(2, intents.Count);
        Assert.Equal(("canceled", "succeeded"), ((string)intents[0]["status"]!, (string)intents[1]["status"]!));
        var payment = await PaymentAsync(await Accounts.RefreshAsync(app, rider), rideId);
        Assert.Equal("captured", payment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_hold_stripe_lets_lapse_early_is_authorised_again_and_the_ride_is_still_paid()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);

        await app.Stripe.State.ExpireAsync((string)IntentsOf(app, rideId)[0]["id"]!);
        await app.DrainAsync();
        await CompleteAsync(app, rider, company.Driver, rideId);

        var intents = IntentsOf(app, rideId); // in the order Stripe made them
        Assert.Equal(2, intents.Count);
        Assert.Equal(("canceled", "expired"), ((string)intents[0]["status"]!, (string)intents[0]["cancellation_reason"]!));
        Assert.Equal("succeeded", (string)intents[1]["status"]!);
        Assert.Equal("captured", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
    }

    private async Task<(SignedIn Rider, TestCompany Company, string RideId, long Price, long Share)> CompletedRideAsync()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var payment = await PaymentAsync(company.Dispatcher, rideId);
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        return (rider, company, rideId, payment.GetProperty("captured").GetInt64(), payment.GetProperty("driverShare").GetInt64());
    }

    private static async Task<HttpResponseMessage> PostTipAsync(SignedIn rider, string rideId, long amount, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rides/{rideId}/tip") { Content = JsonContent.Create(new { amount }) };
        request.Headers.Add("Idempotency-Key", key);
        return await rider.Client.SendAsync(request);
    }
}
