using System.Net;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Payments;

/// <summary>The whole money path through HTTP, Azurite and the fake Stripe: held when the bid wins, captured when the
/// ride completes, paid out to the driver by settlement, and the edges of each step.</summary>
public sealed class MoneyPathTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_completed_ride_is_held_then_captured_and_the_driver_is_paid_once_at_settlement()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var held = await PaymentAsync(rider, rideId);
        var price = held.GetProperty("price").GetInt64();

        await CompleteAsync(app, rider, company.Driver, rideId);
        await PayoutAccountAsync(company.Driver, "acct_driver1");
        var report = await SettleAsync(app);
        var again = await SettleAsync(app);

        Assert.Equal("authorised", held.GetProperty("status").GetString());
        Assert.Equal(price + (long)Math.Ceiling(price * 0.1m), held.GetProperty("held").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, held.GetProperty("driverShare").ValueKind);
        var paid = await PaymentAsync(company.Dispatcher, rideId);
        var share = price - (long)Math.Round(price * 0.15m, MidpointRounding.ToEven);
        Assert.Equal(("captured", price, share), (paid.GetProperty("status").GetString(), paid.GetProperty("captured").GetInt64(), paid.GetProperty("driverShare").GetInt64()));
        var line = LineOf(report, company.Driver.MemberId!);
        Assert.Equal(("paid", share), (line.GetProperty("status").GetString(), line.GetProperty("amount").GetInt64()));
        Assert.Equal(LineOf(again, company.Driver.MemberId!).GetProperty("transferId").GetString(), line.GetProperty("transferId").GetString());
        var transfer = app.Stripe.State.Find(line.GetProperty("transferId").GetString()!)!;
        Assert.Equal((share, "acct_driver1"), ((long)transfer["amount"]!, (string)transfer["destination"]!));
        Assert.Equal(1, StripeCalls(app, "POST", "/v1/transfers"));
        Assert.Contains("payment.captured", TopicsSentTo(app, rider.UserId));

        var admin = await Accounts.PlatformAdminAsync(app);
        var reconciled = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/settlements/{report.GetProperty("period").GetString()}?reconcile=true"));
        Assert.Equal(0, reconciled.GetProperty("reconciliation").GetProperty("mismatches").GetArrayLength());
        Assert.True(reconciled.GetProperty("reconciliation").GetProperty("checked").GetInt32() >= 1);
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task A_driver_without_a_payout_account_is_reported_and_a_refused_transfer_is_retried_next_period()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);
        var share = (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("driverShare").GetInt64();

        var noAccount = LineOf(await SettleAsync(app), company.Driver.MemberId!);
        app.Clock.Advance(TimeSpan.FromDays(1));
        var driver = await Accounts.RefreshAsync(app, company.Driver);
        await PayoutAccountAsync(driver, "acct_closed1");
        var refused = LineOf(await SettleAsync(app), company.Driver.MemberId!);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await PayoutAccountAsync(await Accounts.RefreshAsync(app, driver), "acct_open1");
        var paid = LineOf(await SettleAsync(app), company.Driver.MemberId!);

        Assert.Equal(("noAccount", share), (noAccount.GetProperty("status").GetString(), noAccount.GetProperty("amount").GetInt64()));
        Assert.Equal(("failed", "account_invalid"), (refused.GetProperty("status").GetString(), refused.GetProperty("error").GetString()));
        Assert.Equal(("paid", share), (paid.GetProperty("status").GetString(), paid.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task Booking_without_a_card_is_refused_before_anything_is_made()
    {
        var fresh = await Accounts.SignInAsync(app, withCard: false);
        var quote = await QuoteAsync(fresh);

        var response = await PostBookingAsync(fresh, new { quoteId = quote.GetProperty("quoteId").GetString() }, "k1");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("payment-method-required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_card_reopens_bidding_once_and_a_second_decline_cancels_the_booking()
    {
        var rider = await Accounts.SignInAsync(app);
        await Accounts.AddCardAsync(rider, "pm_card_chargeDeclined");
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)));

        await CloseBiddingAsync(app);
        var reopened = await GetBookingAsync(rider, bookingId);
        var rideId = Atlas.Core.Rides.RideIds.For(bookingId, 1);
        var ride = await GetRideAsync(company.Dispatcher, rideId);
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(reopened)));
        await CloseBiddingAsync(app);
        var cancelled = await GetBookingAsync(rider, bookingId);

        Assert.Equal("bidding", reopened.GetProperty("status").GetString());
        Assert.Equal("cancelled", ride.GetProperty("status").GetString());
        Assert.Contains("payment.declined", TopicsSentTo(app, rider.UserId));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("declined", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
        Assert.Equal("generic_decline", (await PaymentAsync(rider, rideId)).GetProperty("failureCode").GetString());
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task Three_d_secure_waits_for_the_riders_bank_and_the_webhook_authorises_the_hold()
    {
        var rider = await Accounts.SignInAsync(app);
        await Accounts.AddCardAsync(rider, "pm_card_authenticationRequired");
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var waiting = await PaymentAsync(rider, rideId);
        var intent = Assert.Single(IntentsOf(app, rideId));

        await app.Stripe.State.AuthenticateAsync((string)intent["id"]!, succeed: true);
        await app.DrainAsync();
        await CompleteAsync(app, rider, company.Driver, rideId);

        Assert.Equal("actionRequired", waiting.GetProperty("status").GetString());
        Assert.Equal((string)intent["client_secret"]!, waiting.GetProperty("clientSecret").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await PaymentAsync(company.Dispatcher, rideId)).GetProperty("clientSecret").ValueKind);
        Assert.Contains("payment.action-required", TopicsSentTo(app, rider.UserId));
        Assert.Equal("captured", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Three_d_secure_not_done_in_fifteen_minutes_is_a_decline()
    {
        var rider = await Accounts.SignInAsync(app);
        await Accounts.AddCardAsync(rider, "pm_card_authenticationRequired");
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "set-off"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));

        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await app.DrainAsync();
        rider = await Accounts.RefreshAsync(app, rider);

        var payment = await PaymentAsync(rider, rideId);
        Assert.Equal(("declined", "authentication-timeout"), (payment.GetProperty("status").GetString(), payment.GetProperty("failureCode").GetString()));
        Assert.Equal("canceled", (string)Assert.Single(IntentsOf(app, rideId))["status"]!);
        Assert.Equal("bidding", (await GetBookingAsync(rider, bookingId)).GetProperty("status").GetString());
        Assert.Contains("booking.reopened", TopicsSentTo(app, rider.UserId));
    }

    [Fact]
    public async Task A_free_cancellation_cancels_the_hold_and_a_late_one_captures_only_the_fee()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (freeBooking, freeRide) = await AssignedRideAsync(app, rider, company);
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{freeBooking}/cancel", new { reason = "changedPlans" }));
        await app.DrainAsync();

        var (lateBooking, lateRide) = await AssignedRideAsync(app, rider, company);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, lateRide, "set-off"));
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{lateBooking}/cancel", new { reason = "changedPlans" }));
        await app.DrainAsync();

        var free = await PaymentAsync(rider, freeRide);
        Assert.Equal(("released", 0L), (free.GetProperty("status").GetString(), free.GetProperty("captured").GetInt64()));
        Assert.Equal(("canceled", "abandoned"), ((string)IntentsOf(app, freeRide)[0]["status"]!, (string)IntentsOf(app, freeRide)[0]["cancellation_reason"]!));
        var late = await PaymentAsync(rider, lateRide);
        Assert.Equal(("captured", 500L), (late.GetProperty("status").GetString(), late.GetProperty("captured").GetInt64()));
        Assert.Equal(0, StripeCalls(app, "POST", "/v1/refunds"));
    }
}
