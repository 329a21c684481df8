using System.Globalization;
using System.Net;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.Playwright;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.OpsConsole;

/// <summary>
/// The console in a real browser over the real app: people sign in by phone and code, and each view shows what the
/// API lets their role see. One browser for the class; each test a page of its own.
/// </summary>
public sealed class ConsoleTests(AtlasAppFactory app, ConsoleBrowser browser) : IClassFixture<AtlasAppFactory>, IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_platform_admin_inspects_a_completed_ride_and_its_timeline()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await Money.CompleteAsync(app, rider, company.Driver, rideId);
        var page = await browser.NewPageAsync();

        await ConsolePages.SignInAsync(page, app, TestSettings.PlatformAdminPhone);
        await ConsolePages.GoAsync(page, $"#/inspect/ride/{rideId}", "Inspector");

        var state = page.GetByRole(AriaRole.Heading, new() { Name = $"ride {rideId}" });
        await state.WaitForAsync();
        Assert.Contains("Completed", await state.InnerTextAsync(), StringComparison.Ordinal);
        var timeline = page.GetByRole(AriaRole.Table, new() { Name = "What happened, oldest first" });
        foreach (var moment in new[] { "assigned", "departed", "arrived", "started" })
        {
            Assert.Contains(moment, await timeline.InnerTextAsync(), StringComparison.Ordinal);
        }

        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "inspector");

        await page.GetByRole(AriaRole.Link, new() { Name = $"escrow {rideId}" }).ClickAsync();
        var escrow = page.GetByRole(AriaRole.Heading, new() { Name = $"escrow {rideId}" });
        await escrow.WaitForAsync();
        Assert.Contains("Captured", await escrow.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_admin_reads_the_texts_and_runs_a_settlement_again_and_the_run_is_audited()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await Money.CompleteAsync(app, rider, company.Driver, rideId);
        var period = app.Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = await browser.NewPageAsync();
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await ConsolePages.SignInAsync(page, app, TestSettings.PlatformAdminPhone);

        await ConsolePages.GoAsync(page, $"#/companies/{company.Id}", "Companies");
        await page.GetByRole(AriaRole.Table, new() { Name = "Companies on the platform" }).GetByRole(AriaRole.Link, new() { Name = "Acme Logistics" }).First.WaitForAsync();
        var members = page.GetByRole(AriaRole.Table, new() { Name = $"Members of {company.Id}" });
        await members.GetByText(company.Dispatcher.Phone).WaitForAsync();
        Assert.Contains(company.Admin.Phone, await members.InnerTextAsync(), StringComparison.Ordinal);
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "companies");

        await ConsolePages.GoAsync(page, "#/texts", "Texts");
        await ConsolePages.SeesAsync(page, "No text is undelivered.");
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.GoAsync(page, $"#/settlements/{period}", "Settlements");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Run this settlement again" }).ClickAsync();
        await ConsolePages.SeesAsync(page, "Settled.");
        await page.GetByRole(AriaRole.Table, new() { Name = "Payouts by driver" }).GetByText(company.Driver.MemberId!).WaitForAsync();
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "settlements");

        var audit = await HttpAssert.JsonAsync(await (await Accounts.PlatformAdminAsync(app)).Client.GetAsync("/api/ops/audit?limit=1"));
        var entry = audit.GetProperty("items")[0];
        Assert.Equal(("settlement.run", 200, "platformAdmin"), (entry.GetProperty("action").GetString(), entry.GetProperty("status").GetInt32(), entry.GetProperty("actorRole").GetString()));
    }

    [Fact]
    public async Task The_overview_shows_the_numbers_the_api_gives()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await Money.CompleteAsync(app, rider, company.Driver, rideId);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(ConsolePages.Address(app).ToString());
        await page.GetByLabel("Phone number").WaitForAsync();
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "sign-in");

        await ConsolePages.SignInAsync(page, app, TestSettings.PlatformAdminPhone);
        await ConsolePages.GoAsync(page, "#/overview", "Overview");
        await page.Locator("[data-metric=completed] [data-today]").WaitForAsync();
        var overview = await HttpAssert.JsonAsync(await (await Accounts.PlatformAdminAsync(app)).Client.GetAsync("/api/ops/overview"));

        var today = overview.GetProperty("days")[overview.GetProperty("days").GetArrayLength() - 1];
        Assert.True(today.GetProperty("completed").GetInt32() >= 1);
        foreach (var metric in new[] { "bookings", "completed", "cancelled", "noShows", "paymentsFailed", "paymentsDeclined", "stripeEventsFailed", "textsUndelivered" })
        {
            Assert.Equal(today.GetProperty(metric).GetInt32().ToString(CultureInfo.InvariantCulture), await page.Locator($"[data-metric={metric}] [data-today]").InnerTextAsync());
        }

        Assert.Equal(overview.GetProperty("openDisputes").GetInt32().ToString(CultureInfo.InvariantCulture), await page.Locator("[data-metric=openDisputes] [data-today]").InnerTextAsync());
        Assert.Equal(overview.GetProperty("poisonedMessages").GetInt32().ToString(CultureInfo.InvariantCulture), await page.Locator("[data-metric=poisonedMessages] [data-today]").InnerTextAsync());
        var gross = today.GetProperty("gross")[0].GetProperty("value").GetInt64();
        Assert.Contains((gross / 100m).ToString("N2", CultureInfo.InvariantCulture), await page.Locator("[data-metric=gross] [data-today]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("figure.chart canvas").CountAsync());
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task The_fleet_puts_drivers_on_a_map_and_shows_a_name_that_looks_like_markup_as_its_characters()
    {
        const string Hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        await HttpAssert.JsonAsync(await company.Driver.Client.PutAsJsonAsync("/api/drivers/me", new { name = Hostile, licenceNumber = "DL123456", vehicleId = company.VehicleId }));
        var page = await browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await ConsolePages.SignInAsync(page, app, company.Admin.Phone);

        await ConsolePages.GoAsync(page, "#/fleet", "Drivers and vehicles");
        var drivers = page.GetByRole(AriaRole.Table, new() { Name = "Drivers of the company" });
        await drivers.GetByText(Hostile).WaitForAsync();

        Assert.Equal(1, await page.Locator("svg.map circle").CountAsync());
        Assert.Equal(Hostile, await page.Locator("svg.map text").TextContentAsync());
        Assert.Equal(1, await page.Locator("script").CountAsync());
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(0, dialogs);
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "fleet");
    }

    [Fact]
    public async Task A_company_admin_reads_a_drivers_earnings_for_the_period_from_the_ledger()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await Money.CompleteAsync(app, rider, company.Driver, rideId);
        var share = (await Money.PaymentAsync(company.Dispatcher, rideId)).GetProperty("driverShare").GetInt64();
        var period = app.Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = await browser.NewPageAsync();
        await ConsolePages.SignInAsync(page, app, company.Admin.Phone);

        await ConsolePages.GoAsync(page, $"#/earnings/{period}", "Earnings");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Earnings and payouts by driver" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Dee Driver" });
        await row.WaitForAsync();

        var earnings = await HttpAssert.JsonAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/earnings?period={period}"));
        var driver = Assert.Single(earnings.GetProperty("drivers").EnumerateArray());
        Assert.Equal((share, 1), (driver.GetProperty("earned").GetInt64(), driver.GetProperty("rides").GetInt32()));
        Assert.Contains((share / 100m).ToString("N2", CultureInfo.InvariantCulture), await row.InnerTextAsync(), StringComparison.Ordinal);
        await HttpAssert.ValidationProblemAsync(await company.Admin.Client.GetAsync($"/api/companies/{company.Id}/earnings?period=yesterday"), "period");
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "earnings");
    }

    [Fact]
    public async Task A_company_admins_board_counts_a_bid_window_down_and_moves_the_booking_when_it_closes()
    {
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var page = await browser.NewPageAsync();
        await ConsolePages.SignInAsync(page, app, company.Admin.Phone);
        await ConsolePages.GoAsync(page, "#/board", "Board");

        var booking = await BookAsync(app, company.Dispatcher);
        var bookingId = booking.GetProperty("id").GetString()!;
        var card = page.Locator($"[data-booking=\"{bookingId}\"]");
        var bidding = page.GetByRole(AriaRole.Region, new() { Name = "Bidding" });
        await bidding.Locator($"[data-booking=\"{bookingId}\"]").WaitForAsync();
        var countdown = card.Locator(".countdown");
        var before = await SecondsLeftAsync(countdown);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await WaitAsync(async () => await SecondsLeftAsync(countdown) <= before - 25, "the countdown to follow the app's clock");
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "board");

        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)));
        await CloseBiddingAsync(app, windowSeconds: 30);
        await page.GetByRole(AriaRole.Region, new() { Name = "Assigned" }).Locator($"[data-booking=\"{bookingId}\"]").WaitForAsync();
        Assert.Equal(0, await card.Locator(".countdown").CountAsync());
    }

    [Fact]
    public async Task Another_companys_booking_typed_into_the_address_is_not_found()
    {
        var mine = await TestCompany.CreateAsync(app, "Mine Ltd");
        var theirs = await TestCompany.CreateAsync(app, "Theirs Ltd");
        var theirBooking = (await BookAsync(app, theirs.Dispatcher)).GetProperty("id").GetString()!;
        var myBooking = (await BookAsync(app, mine.Dispatcher)).GetProperty("id").GetString()!;
        var page = await browser.NewPageAsync();
        await ConsolePages.SignInAsync(page, app, mine.Admin.Phone);

        await ConsolePages.GoAsync(page, $"#/bookings/{myBooking}", "Booking");
        await ConsolePages.SeesAsync(page, myBooking);
        await ConsolePages.GoAsync(page, $"#/bookings/{theirBooking}", "Booking");

        await ConsolePages.SeesAsync(page, $"Booking {theirBooking} was not found.");
        Assert.Equal(0, await page.GetByText("bidding").CountAsync());
        await ConsolePages.GoAsync(page, "#/board", "Board");
        await page.Locator($"[data-booking=\"{myBooking}\"]").WaitForAsync();
        Assert.Equal(0, await page.Locator($"[data-booking=\"{theirBooking}\"]").CountAsync());
    }

    [Fact]
    public async Task The_session_lives_only_in_the_pages_memory_and_signing_out_ends_it()
    {
        var company = await TestCompany.CreateAsync(app);
        var page = await browser.NewPageAsync();
        var session = await ConsolePages.SignInAsync(page, app, company.Dispatcher.Phone);
        var accessToken = session.GetProperty("accessToken").GetString()!;
        var refreshToken = session.GetProperty("refreshToken").GetString()!;

        // A dispatcher reads the board and the fleet; members are the company admin's.
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Members" }).CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Board" }).CountAsync());
        await ConsolePages.GoAsync(page, "#/fleet", "Drivers and vehicles");
        await page.GetByRole(AriaRole.Table, new() { Name = "Vehicles of the company" }).WaitForAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Add vehicle" }).CountAsync());

        var stored = await page.EvaluateAsync<string>("() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + location.href");
        Assert.DoesNotContain(accessToken, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, stored, StringComparison.Ordinal);
        Assert.Equal("{}{}" + ConsolePages.Address(app), stored[..(4 + ConsolePages.Address(app).ToString().Length)]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByLabel("Phone number").WaitForAsync();

        var refresh = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    private static async Task<int> SecondsLeftAsync(ILocator countdown) =>
        int.Parse((await countdown.GetAttributeAsync("aria-label"))!.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited 15 s for {what}.");
            await Task.Delay(100);
        }
    }
}
