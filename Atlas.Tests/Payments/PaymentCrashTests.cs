using Atlas.Functions.Settlement;
using Atlas.Functions.Stripe;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Payments;

/// <summary>The process dies right after Stripe acted (authorised, captured, transferred) and before Atlas recorded
/// it; the retry sends the same idempotency key, so the rider is charged once and the driver paid once.</summary>
public sealed class PaymentCrashTests : IAsyncLifetime
{
    private readonly AtlasAppFactory _app = new(
        new Dictionary<string, string?> { ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00" },
        services: services => services.Decorate<IStripeApi>((inner, _) => new CrashingStripe(inner)));

    private CrashingStripe Crash => (CrashingStripe)_app.Services.GetRequiredService<IStripeApi>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_crash_after_the_authorisation_holds_the_card_once()
    {
        var rider = await Accounts.SignInAsync(_app);
        var company = await TestCompany.CreateAsync(_app);
        Crash.Arm(nameof(IStripeApi.CreateIntentAsync));

        var (_, rideId) = await AssignedRideAsync(_app, rider, company);

        var intent = Assert.Single(IntentsOf(_app, rideId));
        var keys = _app.Stripe.Requests.Where(r => r.Path == "/v1/payment_intents").Select(r => r.IdempotencyKey).ToList();
        Assert.True(keys.Count >= 2);
        Assert.Single(keys.Distinct());
        Assert.Equal("authorised", (await PaymentAsync(rider, rideId)).GetProperty("status").GetString());
        Assert.Equal("requires_capture", (string)intent["status"]!);
    }

    [Fact]
    public async Task A_crash_after_the_capture_charges_once_and_books_it_once()
    {
        var rider = await Accounts.SignInAsync(_app);
        var company = await TestCompany.CreateAsync(_app);
        var (_, rideId) = await AssignedRideAsync(_app, rider, company);
        Crash.Arm(nameof(IStripeApi.CaptureAsync));

        await CompleteAsync(_app, rider, company.Driver, rideId);
        await PayoutAccountAsync(company.Driver, "acct_crash1");
        var line = LineOf(await SettleAsync(_app), company.Driver.MemberId!);

        var payment = await PaymentAsync(company.Dispatcher, rideId);
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        Assert.Equal(2, StripeCalls(_app, "POST", $"/v1/payment_intents/{(string)IntentsOf(_app, rideId)[0]["id"]!}/capture"));
        Assert.Single(_app.Stripe.State.Events, e => (string?)e["type"] == "payment_intent.succeeded" && (string?)e["data"]!["object"]!["metadata"]!["ride_id"] == rideId);
        Assert.Equal(payment.GetProperty("driverShare").GetInt64(), line.GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_crash_after_the_transfer_pays_the_driver_once_when_the_activity_is_retried()
    {
        var rider = await Accounts.SignInAsync(_app);
        var company = await TestCompany.CreateAsync(_app);
        var (_, rideId) = await AssignedRideAsync(_app, rider, company);
        await CompleteAsync(_app, rider, company.Driver, rideId);
        await PayoutAccountAsync(company.Driver, "acct_crash2");
        Crash.Arm(nameof(IStripeApi.TransferAsync));

        // The activity dies after Stripe made the transfer; Durable runs it again, which finishes the pending line
        // with the same idempotency key.
        var line = LineOf(await SettleAsync(_app), company.Driver.MemberId!);
        var period = _app.Services.GetRequiredService<SettlementRun>().Current;
        var paid = (await _app.Services.GetRequiredService<SettlementStore>().ReadAsync(period.Id, default)).Single(l => l.DriverId == company.Driver.MemberId);
        var reconciled = await _app.Services.GetRequiredService<Reconciliation>().CheckAsync(_app.Services.GetRequiredService<IStripeApi>(), period, [paid], default);

        Assert.Equal("paid", line.GetProperty("status").GetString());
        var transfers = _app.Stripe.Requests.Where(r => r is { Method: "POST", Path: "/v1/transfers" }).ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Single(transfers.Select(r => r.IdempotencyKey).Distinct());
        Assert.Single(_app.Stripe.State.Events, e => (string?)e["type"] == "transfer.created" && (string?)e["data"]!["object"]!["destination"] == "acct_crash2");
        Assert.Empty(reconciled.Mismatches);

        // A rerun of the period finds the line paid and pays nothing.
        Assert.Equal(paid.TransferId, LineOf(await SettleAsync(_app), company.Driver.MemberId!).GetProperty("transferId").GetString());
        Assert.Equal(2, _app.Stripe.Requests.Count(r => r is { Method: "POST", Path: "/v1/transfers" }));
    }
}
