using System.Net;
using Atlas.Core.Ledger;
using Atlas.Functions.Ledger;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;
using static Atlas.Tests.Privacy.Erasing;

namespace Atlas.Tests.Privacy;

/// <summary>Erasure keeps the money straight: a rider's erasure leaves the ride and its ledger entries (balanced) and the
/// driver is still paid; a driver is not erased while driving or owed money, and is paid what comes after.</summary>
public sealed class ErasureMoneyTests
{
    [Fact]
    public async Task Erasing_a_rider_after_a_paid_ride_keeps_the_ride_and_a_balanced_ledger_and_settlement_still_pays_the_driver()
    {
        await using var app = new AtlasAppFactory();
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        await PayoutAccountAsync(company.Driver, "acct_erasedrider");
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await CompleteAsync(app, rider, company.Driver, rideId);

        await EraseAsync(app, rider);

        var ledger = await app.Services.GetRequiredService<LedgerStore>().ReadDriverAsync(company.Driver.MemberId!, default);
        Assert.Contains(ledger, t => t.Kind == "capture" && t.RideId == rideId);
        var balances = Balances.Of(ledger);
        Assert.All(balances.Currencies, currency => Assert.Equal(0, balances.Total(currency)));
        Assert.Equal("completed", (await GetRideAsync(company.Driver, rideId)).GetProperty("status").GetString());
        var share = (await PaymentAsync(company.Driver, rideId)).GetProperty("driverShare").GetInt64();
        var line = LineOf(await SettleAsync(app), company.Driver.MemberId!);
        Assert.Equal(("paid", share), (line.GetProperty("status").GetString(), line.GetProperty("amount").GetInt64()));
        await AssertNothingPoisonedAsync(app);
    }

    [Fact]
    public async Task A_driver_is_told_why_while_on_a_ride_or_owed_money_and_once_erased_is_still_paid_a_later_tip()
    {
        await using var app = new AtlasAppFactory();
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var driver = company.Driver;
        await PayoutAccountAsync(driver, "acct_eraseddriver");
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var (challengeId, code) = await FreshCodeAsync(app, driver);

        var onRide = await HttpAssert.ProblemAsync(await DeleteAsync(driver, new { challengeId, code }), HttpStatusCode.Conflict);
        Assert.Equal("active-ride", onRide.GetProperty("code").GetString());
        Assert.Contains(rideId, onRide.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await CompleteAsync(app, rider, driver, rideId);
        var owed = await HttpAssert.ProblemAsync(await DeleteAsync(driver, new { challengeId, code }), HttpStatusCode.Conflict);
        Assert.Equal("unpaid-earnings", owed.GetProperty("code").GetString());

        Assert.Equal("paid", LineOf(await SettleAsync(app), driver.MemberId!).GetProperty("status").GetString());

        // A refusal did not use the code up.
        await HttpAssert.JsonAsync(await DeleteAsync(driver, new { challengeId, code }), HttpStatusCode.Accepted);
        await app.DrainAsync();
        await HttpAssert.ProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/members/{driver.MemberId}"), HttpStatusCode.NotFound);
        Assert.Equal("completed", (await GetRideAsync(rider, rideId)).GetProperty("status").GetString());

        // A tip after the erasure is still the driver's, paid into the account their driver row held.
        using var tip = new HttpRequestMessage(HttpMethod.Post, $"/api/rides/{rideId}/tip") { Content = JsonContent.Create(new { amount = 300 }) };
        tip.Headers.Add("Idempotency-Key", "tip-after-erasure");
        await HttpAssert.JsonAsync(await rider.Client.SendAsync(tip), HttpStatusCode.Accepted);
        await app.DrainAsync();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var line = LineOf(await SettleAsync(app), driver.MemberId!);
        Assert.Equal(("paid", 300L), (line.GetProperty("status").GetString(), line.GetProperty("amount").GetInt64()));
        Assert.Equal("acct_eraseddriver", (string?)app.Stripe.State.Find(line.GetProperty("transferId").GetString()!)!["destination"]);
        await AssertNothingPoisonedAsync(app);
    }
}
