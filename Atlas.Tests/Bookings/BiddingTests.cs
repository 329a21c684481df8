using System.Net;
using Atlas.Core.Drivers;
using Atlas.Functions.Lifecycles;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Bookings;

/// <summary>Bids over HTTP: who may bid and with what, closing with no bids, and the races the bid window must
/// survive with exactly one outcome.</summary>
public sealed class BiddingTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Theory]
    [InlineData(0.49, "amount")]
    [InlineData(2.01, "amount")]
    public async Task A_bid_outside_half_to_twice_the_quote_is_a_400_naming_amount(double share, string field)
    {
        var (booking, driver) = await OpenBookingWithADriverAsync();

        var response = await BidAsync(driver, Id(booking), (long)(QuoteTotal(booking) * share));

        var rule = await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Contains("half to twice", rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"amount":-5}""")]
    [InlineData("""{"amount":12.5}""")]
    [InlineData("""{"amount":"1000"}""")]
    [InlineData("""{"amount":1000,"driverId":"mb_x"}""")]
    public async Task A_malformed_bid_is_a_400(string body)
    {
        var (booking, driver) = await OpenBookingWithADriverAsync();

        await HttpAssert.ProblemAsync(await driver.Client.PostAsync($"/api/bookings/{Id(booking)}/bids", RawJson.Of(body)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_driver_who_is_not_available_cannot_bid()
    {
        var (booking, driver) = await OpenBookingWithADriverAsync();
        await HttpAssert.JsonAsync(await driver.Client.PutAsJsonAsync("/api/drivers/me/availability", new { available = false }));

        var problem = await HttpAssert.ProblemAsync(await BidAsync(driver, Id(booking), QuoteTotal(booking)), HttpStatusCode.Conflict);

        Assert.Equal("driver-unavailable", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_bid_after_the_window_closes_but_before_the_award_is_a_409_with_the_reason()
    {
        var (booking, driver) = await OpenBookingWithADriverAsync();
        await HttpAssert.JsonAsync(await BidAsync(driver, Id(booking), QuoteTotal(booking)));
        var late = await AddReadyDriverAsync(app, await TestCompany.CreateAsync(app));
        app.Clock.Advance(TimeSpan.FromSeconds(61)); // the window is over; its timer has not run yet

        var problem = await HttpAssert.ProblemAsync(await BidAsync(late, Id(booking), QuoteTotal(booking)), HttpStatusCode.Conflict);

        Assert.Equal("bidding-closed", problem.GetProperty("code").GetString());
        Assert.Equal("The bid window has closed.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Once_awarded_a_booking_is_404_to_every_driver_but_the_winner_whatever_they_try()
    {
        var (booking, winner) = await OpenBookingWithADriverAsync();
        var loser = await AddReadyDriverAsync(app, await TestCompany.CreateAsync(app));
        await HttpAssert.JsonAsync(await BidAsync(winner, Id(booking), QuoteTotal(booking)));
        await HttpAssert.JsonAsync(await BidAsync(loser, Id(booking), QuoteTotal(booking) + 100));
        await CloseBiddingAsync(app);
        var late = await AddReadyDriverAsync(app, await TestCompany.CreateAsync(app));

        // As for a booking that never existed: nothing says it is there, let alone closed.
        var unknown = await HttpAssert.ProblemAsync(await BidAsync(late, "bk_doesNotExist0000000000", QuoteTotal(booking)), HttpStatusCode.NotFound);
        foreach (var attempt in new[]
        {
            await BidAsync(late, Id(booking), QuoteTotal(booking)),
            await BidAsync(loser, Id(booking), QuoteTotal(booking)),
            await loser.Client.DeleteAsync($"/api/bookings/{Id(booking)}/bids/mine"),
            await loser.Client.GetAsync($"/api/bookings/{Id(booking)}"),
        })
        {
            var problem = await HttpAssert.ProblemAsync(attempt, HttpStatusCode.NotFound);
            Assert.Equal(unknown.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
        }

        Assert.Equal("assigned", (await GetBookingAsync(winner, Id(booking))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_withdrawn_bid_does_not_win_and_no_bids_extend_the_window_once_then_the_booking_expires()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(app, rider);
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, Id(booking), QuoteTotal(booking)));
        Assert.Equal(HttpStatusCode.NoContent, (await company.Driver.Client.DeleteAsync($"/api/bookings/{Id(booking)}/bids/mine")).StatusCode);

        await CloseBiddingAsync(app);
        var extended = await GetBookingAsync(rider, Id(booking));
        Assert.Equal("bidding", extended.GetProperty("status").GetString());
        Assert.True(extended.GetProperty("bidding").GetProperty("extended").GetBoolean());
        Assert.Contains("booking.extended", TopicsSentTo(app, rider.UserId));

        await CloseBiddingAsync(app);
        var expired = await GetBookingAsync(rider, Id(booking));
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Contains("booking.expired", TopicsSentTo(app, rider.UserId));
    }

    [Fact]
    public async Task A_bid_racing_the_close_either_counts_or_is_refused_never_both()
    {
        for (var round = 0; round < 4; round++)
        {
            var rider = await Accounts.SignInAsync(app);
            var company = await TestCompany.CreateAsync(app);
            var racer = await AddReadyDriverAsync(app, company);
            await ReadyAsync(company.Driver, company.VehicleId);
            var booking = await BookAsync(app, rider);
            await HttpAssert.JsonAsync(await BidAsync(company.Driver, Id(booking), QuoteTotal(booking)));
            app.Clock.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(round % 2));

            // The cheaper bid and the close, at the same moment.
            var bid = BidAsync(racer, Id(booking), QuoteTotal(booking) - 50);
            app.Clock.Advance(TimeSpan.FromMilliseconds(round % 2));
            var close = app.FireDeadlinesAsync();
            var response = await bid;
            await close;
            await app.DrainAsync();

            var winner = (await GetBookingAsync(rider, Id(booking))).GetProperty("assignment").GetProperty("driverId").GetString();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(racer.MemberId, winner);
            }
            else if (response.StatusCode == HttpStatusCode.Conflict)
            {
                // Refused while the booking still showed as open.
                Assert.Equal("bidding-closed", (await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict)).GetProperty("code").GetString());
                Assert.Equal(company.Driver.MemberId, winner);
            }
            else
            {
                // Refused after the close was written: to a driver who did not win, the booking is gone.
                await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
                Assert.Equal(company.Driver.MemberId, winner);
            }
        }
    }

    [Fact]
    public async Task Two_closes_racing_give_one_award()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(app, rider);
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, Id(booking), QuoteTotal(booking)));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var bookings = app.Services.GetRequiredService<Lifecycle<Atlas.Core.Bookings.Booking, Atlas.Core.Bookings.BookingCommand>>();
        var closesAt = (await bookings.GetAsync(Id(booking), CancellationToken.None)).State.Window!.ClosesAt;

        var closes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => bookings.TimeoutAsync(Id(booking), closesAt, CancellationToken.None))));
        await Task.WhenAll(app.FireDeadlinesAsync(), app.FireDeadlinesAsync());
        await app.DrainAsync();

        Assert.Equal(1, closes.Count(s => s == CommandStatus.Applied));
        Assert.Single(TopicsSentTo(app, rider.UserId), t => t == "booking.assigned");
        Assert.Single(TopicsSentTo(app, company.Driver.UserId), t => t == "bid.won");
        Assert.Equal("assigned", (await GetBookingAsync(rider, Id(booking))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_driver_winning_two_bookings_at_once_gets_one_ride_and_the_other_goes_to_the_next_bid()
    {
        var company = await TestCompany.CreateAsync(app);
        var popular = company.Driver;
        var backup = await AddReadyDriverAsync(app, company);
        await ReadyAsync(popular, company.VehicleId);
        var riders = new[] { await Accounts.SignInAsync(app), await Accounts.SignInAsync(app) };
        var bookings = new List<string>();
        foreach (var rider in riders)
        {
            var booking = await BookAsync(app, rider);
            bookings.Add(Id(booking));
            await HttpAssert.JsonAsync(await BidAsync(popular, Id(booking), QuoteTotal(booking) - 100));
            await HttpAssert.JsonAsync(await BidAsync(backup, Id(booking), QuoteTotal(booking)));
        }

        // Both windows close in one scan: both award rides to the same driver at the same moment.
        await CloseBiddingAsync(app);

        var winners = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var assigned = await GetBookingAsync(riders[i], bookings[i]);
            Assert.Equal("assigned", assigned.GetProperty("status").GetString());
            winners.Add(assigned.GetProperty("assignment").GetProperty("driverId").GetString()!);
        }

        Assert.Equal(new[] { backup.MemberId!, popular.MemberId! }.Order(), winners.Order());
        var duty = app.Services.GetRequiredService<Lifecycle<DriverDuty, DriverDutyCommand>>();
        Assert.NotNull((await duty.GetAsync(popular.MemberId!, CancellationToken.None)).State.ActiveRideId);
    }

    [Fact]
    public async Task A_winner_who_went_unavailable_after_bidding_is_passed_over_for_the_next_bid()
    {
        var company = await TestCompany.CreateAsync(app);
        var gone = await AddReadyDriverAsync(app, company);
        await ReadyAsync(company.Driver, company.VehicleId);
        var rider = await Accounts.SignInAsync(app);
        var booking = await BookAsync(app, rider);
        await HttpAssert.JsonAsync(await BidAsync(gone, Id(booking), QuoteTotal(booking) - 100));
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, Id(booking), QuoteTotal(booking)));
        await HttpAssert.JsonAsync(await gone.Client.PutAsJsonAsync("/api/drivers/me/availability", new { available = false }));

        await CloseBiddingAsync(app);

        var assigned = await GetBookingAsync(rider, Id(booking));
        Assert.Equal(company.Driver.MemberId, assigned.GetProperty("assignment").GetProperty("driverId").GetString());
        Assert.Equal(QuoteTotal(booking), assigned.GetProperty("assignment").GetProperty("price").GetInt64());
        Assert.Contains("bid.lost", TopicsSentTo(app, gone.UserId));
    }

    [Fact]
    public async Task A_driver_on_a_ride_cannot_bid_on_another_booking()
    {
        var company = await TestCompany.CreateAsync(app);
        await AssignedRideAsync(app, await Accounts.SignInAsync(app), company);
        var next = await BookAsync(app, await Accounts.SignInAsync(app));

        var problem = await HttpAssert.ProblemAsync(await BidAsync(company.Driver, Id(next), QuoteTotal(next)), HttpStatusCode.Conflict);

        Assert.Equal("driver-busy", problem.GetProperty("code").GetString());
    }

    private async Task<(System.Text.Json.JsonElement Booking, SignedIn Driver)> OpenBookingWithADriverAsync()
    {
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        return (await BookAsync(app, await Accounts.SignInAsync(app)), company.Driver);
    }

    private static string Id(System.Text.Json.JsonElement booking) => booking.GetProperty("id").GetString()!;
}
