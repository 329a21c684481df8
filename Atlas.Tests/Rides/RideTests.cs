using System.Net;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Rides;

/// <summary>The ride over HTTP with the clock moved by the test: its timers, the start code, cancellations and
/// who may do what to it.</summary>
public sealed class RideTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_driver_who_does_not_set_off_in_five_minutes_loses_the_ride_and_the_booking_is_bid_on_again()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.DrainAsync();

        var ride = await GetRideAsync(rider, rideId);
        Assert.Equal("cancelled", ride.GetProperty("status").GetString());
        Assert.Equal("system", ride.GetProperty("ending").GetProperty("by").GetString());
        var booking = await GetBookingAsync(rider, bookingId);
        Assert.Equal("bidding", booking.GetProperty("status").GetString());
        Assert.Contains("booking.reassigning", TopicsSentTo(app, rider.UserId));
        var refused = await HttpAssert.ProblemAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)), HttpStatusCode.Conflict);
        Assert.Equal("driver-excluded", refused.GetProperty("code").GetString());

        // The driver is free again: another booking can be theirs.
        var next = await BookAsync(app, await Accounts.SignInAsync(app));
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, next.GetProperty("id").GetString()!, QuoteTotal(next)));
    }

    [Fact]
    public async Task After_arriving_the_driver_waits_five_minutes_before_a_no_show_which_costs_the_rider_the_fee()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));

        var early = await HttpAssert.ProblemAsync(await RideActionAsync(company.Driver, rideId, "no-show"), HttpStatusCode.Conflict);
        Assert.Equal("rider-still-has-time", early.GetProperty("code").GetString());

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.DrainAsync();
        Assert.Contains("ride.rider-late", TopicsSentTo(app, company.Driver.UserId));

        var noShow = await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "no-show"));
        Assert.Equal("noShow", noShow.GetProperty("status").GetString());
        Assert.Equal(500, noShow.GetProperty("ending").GetProperty("fee").GetInt64());
        await app.DrainAsync();
        var booking = await GetBookingAsync(rider, bookingId);
        Assert.Equal("noShow", booking.GetProperty("status").GetString());
        Assert.Equal(500, booking.GetProperty("ending").GetProperty("fee").GetInt64());
    }

    [Fact]
    public async Task Five_wrong_start_codes_lock_the_start_until_the_drivers_dispatcher_unlocks_it()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var other = await TestCompany.CreateAsync(app, "Other");
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var code = (await GetRideAsync(rider, rideId)).GetProperty("startCode").GetString()!;
        var wrong = code == "0000" ? "1111" : "0000";
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));

        for (var left = 4; left >= 1; left--)
        {
            var problem = await HttpAssert.ProblemAsync(await RideActionAsync(company.Driver, rideId, "start", new { code = wrong }), HttpStatusCode.BadRequest);
            Assert.Equal(left, problem.GetProperty("attemptsLeft").GetInt32());
        }

        var locked = await HttpAssert.ProblemAsync(await RideActionAsync(company.Driver, rideId, "start", new { code = wrong }), HttpStatusCode.Conflict);
        Assert.Equal("start-locked", locked.GetProperty("code").GetString());
        await HttpAssert.ProblemAsync(await RideActionAsync(company.Driver, rideId, "start", new { code }), HttpStatusCode.Conflict);
        Assert.True((await GetRideAsync(company.Dispatcher, rideId)).GetProperty("startLocked").GetBoolean());

        await HttpAssert.ProblemAsync(await RideActionAsync(other.Dispatcher, rideId, "unlock-start"), HttpStatusCode.NotFound);
        await HttpAssert.JsonAsync(await RideActionAsync(company.Dispatcher, rideId, "unlock-start"));

        var started = await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "start", new { code }));
        Assert.Equal("inProgress", started.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"code":"12"}""")]
    [InlineData("""{"code":"abcd"}""")]
    [InlineData("""{"code":1234}""")]
    [InlineData("""{}""")]
    public async Task A_malformed_start_code_is_a_400_and_counts_for_nothing(string body)
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));

        await HttpAssert.ValidationProblemAsync(await company.Driver.Client.PostAsync($"/api/rides/{rideId}/start", RawJson.Of(body)), "code");
    }

    [Fact]
    public async Task The_rider_cancels_free_within_two_minutes_of_the_assignment()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        var cancelled = await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "changedPlans" }));

        Assert.Equal(0, cancelled.GetProperty("fee").GetInt64());
        await app.DrainAsync();
        Assert.Equal("cancelled", (await GetBookingAsync(rider, bookingId)).GetProperty("status").GetString());
        Assert.Equal("rider", (await GetRideAsync(rider, rideId)).GetProperty("ending").GetProperty("by").GetString());
    }

    [Fact]
    public async Task The_rider_pays_the_fee_for_cancelling_later_and_cannot_cancel_a_started_ride()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, _) = await AssignedRideAsync(app, rider, company);
        app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        var cancelled = await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "waitTooLong" }));
        Assert.Equal(500, cancelled.GetProperty("fee").GetInt64());
        await app.DrainAsync();
        Assert.Equal(500, (await GetBookingAsync(rider, bookingId)).GetProperty("ending").GetProperty("fee").GetInt64());

        var second = await Accounts.SignInAsync(app);
        var (started, startedRide) = await AssignedRideAsync(app, second, company);
        var code = (await GetRideAsync(second, startedRide)).GetProperty("startCode").GetString();
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, startedRide, "arrive"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, startedRide, "start", new { code }));
        var refused = await HttpAssert.ProblemAsync(await second.Client.PostAsJsonAsync($"/api/bookings/{started}/cancel", new { reason = "changedPlans" }), HttpStatusCode.Conflict);
        Assert.Equal("ride-started", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_cancellation_needs_a_known_reason_and_only_the_booker_may_cancel()
    {
        var rider = await Accounts.SignInAsync(app);
        var stranger = await Accounts.SignInAsync(app);
        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString();

        await HttpAssert.ValidationProblemAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "bored" }), "reason");
        await HttpAssert.ValidationProblemAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { }), "reason");
        await HttpAssert.ProblemAsync(await stranger.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "other" }), HttpStatusCode.NotFound);

        var cancelled = await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "other" }));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "other" }));
    }

    [Fact]
    public async Task A_driver_who_cancels_sends_the_booking_back_to_bidding()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);

        var cancelled = await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "cancel", new { reason = "vehicleProblem" }));
        await app.DrainAsync();

        Assert.Equal("vehicleProblem", cancelled.GetProperty("ending").GetProperty("reason").GetString());
        Assert.Equal(0, cancelled.GetProperty("ending").GetProperty("fee").GetInt64());
        Assert.Equal("bidding", (await GetBookingAsync(rider, bookingId)).GetProperty("status").GetString());
        await HttpAssert.ValidationProblemAsync(await RideActionAsync(company.Driver, rideId, "cancel", new { reason = "tired" }), "reason");
    }

    [Fact]
    public async Task Only_the_assigned_driver_moves_the_ride_and_others_see_nothing_of_it()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var colleague = await TestCompany.AddMemberAsync(app, company.Admin, company.Id, "driver");
        var outsider = await TestCompany.CreateAsync(app, "Outsiders");
        var (_, rideId) = await AssignedRideAsync(app, rider, company);

        await HttpAssert.ProblemAsync(await RideActionAsync(colleague, rideId, "set-off"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await RideActionAsync(outsider.Driver, rideId, "set-off"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await outsider.Dispatcher.Client.GetAsync($"/api/rides/{rideId}"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await (await Accounts.SignInAsync(app)).Client.GetAsync($"/api/rides/{rideId}"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await RideActionAsync(rider, rideId, "set-off"), HttpStatusCode.Forbidden);

        var seenByDispatcher = await GetRideAsync(company.Dispatcher, rideId);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seenByDispatcher.GetProperty("startCode").ValueKind);
    }

    [Fact]
    public async Task Ride_locations_are_validated_and_refused_once_the_ride_is_over()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);

        await HttpAssert.ValidationProblemAsync(await RideActionAsync(company.Driver, rideId, "location", new { lat = 95, lng = 0 }), "lat");
        Assert.Equal(HttpStatusCode.NoContent, (await RideActionAsync(company.Driver, rideId, "location", new { lat = 51.49, lng = -0.12 })).StatusCode);
        var located = await GetRideAsync(rider, rideId);
        Assert.Equal(51.49, located.GetProperty("driver").GetProperty("lastLocation").GetProperty("lat").GetDouble());

        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "cancel", new { reason = "other" }));
        var ended = await HttpAssert.ProblemAsync(await RideActionAsync(company.Driver, rideId, "location", new { lat = 51.49, lng = -0.12 }), HttpStatusCode.Conflict);
        Assert.Equal("ride-ended", ended.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"stars":0}""", "stars")]
    [InlineData("""{"stars":6}""", "stars")]
    [InlineData("""{}""", "stars")]
    [InlineData("""{"stars":4.5}""", "stars")]
    [InlineData("""{"stars":4,"comment":"LONG"}""", "comment")]
    public async Task A_bad_rating_is_a_400_naming_the_field(string body, string field)
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);

        var response = await rider.Client.PostAsync($"/api/rides/{rideId}/rating", RawJson.Of(body.Replace("LONG", new string('x', 501), StringComparison.Ordinal)));

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task A_ride_cannot_be_rated_before_it_is_completed()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);

        var problem = await HttpAssert.ProblemAsync(await RideActionAsync(rider, rideId, "rating", new { stars = 5 }), HttpStatusCode.Conflict);

        Assert.Equal("ride-not-completed", problem.GetProperty("code").GetString());
    }
}
