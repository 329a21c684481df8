using System.Net.Http.Json;
using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Rides;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Bookings;

/// <summary>Queues deliver at least once: the award and the end of a ride, each delivered three times, still
/// happen once.</summary>
public sealed class EffectRedeliveryTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task An_award_delivered_three_times_assigns_one_ride_once()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await app.FireDeadlinesAsync();

        await DeliverTwiceMoreAsync("booking.award-ride");
        await app.DrainAsync();

        var assigned = await GetBookingAsync(rider, bookingId);
        var rideId = assigned.GetProperty("assignment").GetProperty("rideId").GetString()!;
        Assert.Equal("assigned", assigned.GetProperty("status").GetString());
        Assert.Single(TopicsSentTo(app, rider.UserId), t => t == "booking.assigned");
        Assert.Single(TopicsSentTo(app, company.Driver.UserId), t => t == "bid.won");
        Assert.Equal(rideId, (await Duty(company.Driver)).ActiveRideId);
        var driverList = await HttpAssert.JsonAsync(await company.Driver.Client.GetAsync("/api/bookings"));
        Assert.Equal(bookingId, Assert.Single(driverList.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var (ride, version) = await app.Services.GetRequiredService<Lifecycle<Ride, RideCommand>>().GetAsync(rideId, default);
        Assert.Equal(RideStatus.Assigned, ride.Status);
        Assert.Equal(1, version);
    }

    [Fact]
    public async Task The_end_of_a_ride_delivered_three_times_frees_the_driver_and_ends_the_booking_once()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (bookingId, rideId) = await AssignedRideAsync(app, rider, company);
        var code = (await GetRideAsync(rider, rideId)).GetProperty("startCode").GetString();
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "arrive"));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "start", new { code }));
        await HttpAssert.JsonAsync(await RideActionAsync(company.Driver, rideId, "complete"));

        await DeliverTwiceMoreAsync("ride.finish");
        await app.DrainAsync();

        var bookings = app.Services.GetRequiredService<Lifecycle<Booking, BookingCommand>>();
        var (ended, _) = await bookings.GetAsync(bookingId, default);
        Assert.Equal(BookingStatus.Completed, ended.Status);
        Assert.Null((await Duty(company.Driver)).ActiveRideId);
        Assert.Single(TopicsSentTo(app, rider.UserId), t => t == "ride.completed");
    }

    [Fact]
    public async Task The_booking_fact_that_began_a_journey_delivered_again_after_the_journey_ended_does_not_begin_it_again()
    {
        var rider = await Accounts.SignInAsync(app);
        var bookingId = (await BookAsync(app, rider)).GetProperty("id").GetString()!;
        var first = await app.Services.GetRequiredService<Lifecycle<Booking, BookingCommand>>().FactAsync(bookingId, default);
        Assert.Equal(1, first?.Version);
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "changedPlans" }));
        await app.DrainAsync();
        var journeyId = BookingJourney.InstanceId(bookingId);
        var ended = await app.Durable.GetInstanceAsync(journeyId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended?.RuntimeStatus);

        // As a relay whose delete of the outbox row failed would send it, or a held fact whose start lost a race.
        await FlowDelivery.DeliverAsync(
            first!, app.Durable, app.Services.GetRequiredService<FlowRoutes>(), app.Services.GetRequiredService<FlowsKnownRunning>(), app.Services, default);

        var after = await app.Durable.GetInstanceAsync(journeyId);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, ended!.CreatedAt), (after?.RuntimeStatus, after?.CreatedAt));
    }

    /// <summary>Takes the waiting message of an effect kind and hands it to the dispatcher twice, as a queue that lost
    /// its deletes would; the message itself stays to be delivered a third time.</summary>
    private async Task DeliverTwiceMoreAsync(string kind)
    {
        await Triggers.RelaysQuietAsync(app.Services);
        var queues = app.Services.GetRequiredService<IQueueClient>();
        var messages = await queues.ReceiveAsync(EffectRoutes.DefaultQueue, 32, TimeSpan.Zero, default);
        var message = Assert.Single(messages, m => m.Text.Contains($"\"kind\":\"{kind}\"", StringComparison.Ordinal));
        var dispatcher = app.Services.GetRequiredService<EffectDispatcher>();
        await dispatcher.HandleAsync(message, default);
        await dispatcher.HandleAsync(message, default);
    }

    private async Task<DriverDuty> Duty(SignedIn driver) =>
        (await app.Services.GetRequiredService<Lifecycle<DriverDuty, DriverDutyCommand>>().GetAsync(driver.MemberId!, default)).State;
}
