using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Rides;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Microsoft.DurableTask.Client;
using Atlas.Tests.Infrastructure;
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
    public async Task The_fact_that_started_a_journey_back_after_the_journey_ended_does_not_start_it_again()
    {
        var rider = await Accounts.SignInAsync(app);
        var bookingId = (await BookAsync(app, rider)).GetProperty("id").GetString()!;

        // The booking's first fact started the journey and was held, to be raised once the journey had run. Taken off
        // the queue, it comes back only after the booking is cancelled and the journey has ended.
        var held = await HeldFactAsync(bookingId);
        Assert.Equal((1, 1), (held.Version, held.Held));
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "changedPlans" }));
        await app.DrainAsync();
        var journeyId = BookingJourney.InstanceId(bookingId);
        var ended = await app.Durable.GetInstanceAsync(journeyId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended?.RuntimeStatus);

        await FlowDelivery.DeliverAsync(held, app.Durable, app.Services.GetRequiredService<FlowRoutes>(), app.Services.GetRequiredService<FlowsKnownRunning>(), app.Services, default);

        var after = await app.Durable.GetInstanceAsync(journeyId);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, ended!.CreatedAt), (after?.RuntimeStatus, after?.CreatedAt));
    }

    /// <summary>The fact of <paramref name="bookingId"/> held on the flows queue, taken once it is visible again (a second
    /// after it was held) and hidden for a while.</summary>
    private async Task<FlowFact> HeldFactAsync(string bookingId)
    {
        var queues = app.Services.GetRequiredService<IQueueClient>();
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (patience.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var message in await queues.ReceiveAsync(FlowFact.Queue, 32, TimeSpan.FromSeconds(30), default))
            {
                var fact = FlowDelivery.Read(JsonSerializer.Deserialize<EffectEnvelope>(message.Text, LifecycleJson.Options)!);
                if (fact.Id == bookingId)
                {
                    return fact;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No fact of {bookingId} came back to the flows queue.");
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
