using System.Net;
using System.Text.Json;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Rides;

/// <summary>A whole ride through HTTP against Azurite: quote, booking, bids, close, ride, completion, ratings.</summary>
public sealed class FullRideTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_ride_runs_from_quote_to_ratings_and_everyone_is_told_each_step()
    {
        var company = await TestCompany.CreateAsync(app);
        var rider = await Accounts.SignInAsync(app);
        var rival = await AddReadyDriverAsync(app, company);
        await ReadyAsync(company.Driver, company.VehicleId);

        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        Assert.Equal("bidding", booking.GetProperty("status").GetString());
        Assert.Contains("booking.open", TopicsSentTo(app, company.Driver.UserId));

        var quote = QuoteTotal(booking);
        await HttpAssert.JsonAsync(await BidAsync(rival, bookingId, quote + 100));
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, quote - 100));
        Assert.Equal(2, (await GetBookingAsync(rider, bookingId)).GetProperty("bidding").GetProperty("bidCount").GetInt32());

        await CloseBiddingAsync(app);

        var assigned = await GetBookingAsync(rider, bookingId);
        Assert.Equal("assigned", assigned.GetProperty("status").GetString());
        Assert.Equal(quote - 100, assigned.GetProperty("assignment").GetProperty("price").GetInt64());
        Assert.Equal(company.Driver.MemberId, assigned.GetProperty("assignment").GetProperty("driverId").GetString());
        Assert.Contains("booking.assigned", TopicsSentTo(app, rider.UserId));
        Assert.Contains("bid.won", TopicsSentTo(app, company.Driver.UserId));
        Assert.Contains("bid.lost", TopicsSentTo(app, rival.UserId));

        var rideId = assigned.GetProperty("assignment").GetProperty("rideId").GetString()!;
        var seenByRider = await GetRideAsync(rider, rideId);
        var code = seenByRider.GetProperty("startCode").GetString()!;
        Assert.Matches("^[0-9]{4}$", code);
        Assert.Equal(JsonValueKind.Null, (await GetRideAsync(company.Driver, rideId)).GetProperty("startCode").ValueKind);

        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "set-off"));
        Assert.Equal(HttpStatusCode.NoContent, (await RideActionAsync(company.Driver, rideId, "location", new { lat = 51.505, lng = -0.125 })).StatusCode);
        var enRoute = await GetRideAsync(rider, rideId);
        Assert.Equal("driverEnRoute", enRoute.GetProperty("status").GetString());
        Assert.Equal("pickup", enRoute.GetProperty("eta").GetProperty("to").GetString());
        Assert.True(enRoute.GetProperty("eta").GetProperty("minutes").GetInt32() >= 1);

        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "start", new { code }));
        var done = await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "complete"));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        await app.DrainAsync();

        Assert.Equal("completed", (await GetBookingAsync(rider, bookingId)).GetProperty("status").GetString());
        var riderTopics = TopicsSentTo(app, rider.UserId);
        foreach (var topic in new[] { "ride.driver-en-route", "ride.driver-arrived", "ride.started", "ride.completed" })
        {
            Assert.Contains(topic, riderTopics);
        }

        await HttpAssert.JsonAsync(await RideActionAsync(rider, rideId, "rating", new { stars = 4, comment = "Smooth" }));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "rating", new { stars = 5 }));
        await HttpAssert.ProblemAsync(await RideActionAsync(rider, rideId, "rating", new { stars = 1 }), HttpStatusCode.Conflict);
        await app.DrainAsync();

        var profile = await HttpAssert.JsonAsync(await company.Driver.Client.GetAsync("/api/drivers/me"));
        Assert.Equal(4.0, profile.GetProperty("rating").GetDouble());
    }

    [Fact]
    public async Task A_riders_rating_breaks_the_next_tie_in_the_drivers_favour()
    {
        var company = await TestCompany.CreateAsync(app);
        var rider = await Accounts.SignInAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var code = (await GetRideAsync(rider, rideId)).GetProperty("startCode").GetString();
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "start", new { code }));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "complete"));
        await HttpAssert.JsonAsync(await RideActionAsync(rider, rideId, "rating", new { stars = 5 }));
        await app.DrainAsync();
        var unrated = await AddReadyDriverAsync(app, company);

        // The same amount: the unrated driver bids first, the rated one later, and the rating wins.
        var next = await BookAsync(app, await Accounts.SignInAsync(app));
        var nextId = next.GetProperty("id").GetString()!;
        await HttpAssert.JsonAsync(await BidAsync(unrated, nextId, QuoteTotal(next)));
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, nextId, QuoteTotal(next)));
        await CloseBiddingAsync(app, windowSeconds: 55);

        var assigned = await GetBookingAsync(company.Driver, nextId);
        Assert.Equal(company.Driver.MemberId, assigned.GetProperty("assignment").GetProperty("driverId").GetString());
        Assert.Contains("bid.lost", TopicsSentTo(app, unrated.UserId));
    }
}
