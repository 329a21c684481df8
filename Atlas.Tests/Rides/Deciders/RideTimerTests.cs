using Atlas.Core.Common;
using Atlas.Core.Notifications;
using Atlas.Core.Rides;
using static Atlas.Tests.Rides.Deciders.RideFixtures;

namespace Atlas.Tests.Rides.Deciders;

/// <summary>The ride's two timers — set off within five minutes, the rider's five minutes after arrival — fired
/// early, on time, late, twice, and after the ride moved on.</summary>
public sealed class RideTimerTests
{
    private static Decision<Ride>.Accepted Accepted(Decision<Ride> decision) => Assert.IsType<Decision<Ride>.Accepted>(decision);

    [Fact]
    public void GivenNothing_WhenCreated_ThenAssignedWaitingForTheDriverToSetOff()
    {
        var decision = Accepted(Decider.Decide(Ride.None, new CreateRide(Terms), Now));

        Assert.Equal(RideStatus.Assigned, decision.State.Status);
        Assert.Equal(SetOffBy, decision.Deadline);

        // The booking's assignment notice already told the rider and the driver.
        Assert.Empty(decision.Effects);
    }

    [Fact]
    public void GivenAssigned_WhenTheSetOffTimerFiresEarly_ThenNothingHappens()
    {
        Assert.IsType<Decision<Ride>.Unchanged>(Decider.Decide(Assigned(), new RideTimedOut(SetOffBy), SetOffBy.AddSeconds(-1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(600)]
    public void GivenAssigned_WhenTheSetOffTimerFiresOnTimeOrLate_ThenTheSystemCancelsAndTheBookingHearsTheDriverDroppedOut(int secondsLate)
    {
        var at = SetOffBy.AddSeconds(secondsLate);

        var decision = Accepted(Decider.Decide(Assigned(), new RideTimedOut(SetOffBy), at));

        Assert.Equal(RideStatus.Cancelled, decision.State.Status);
        Assert.Equal(new Atlas.Core.Bookings.Ending(at, Party.System, "driver-did-not-set-off", 0), decision.State.Ending);
        Assert.Null(decision.Deadline);
        Assert.Equal(new FinishRide("bk_1", "mb_driver", RideStatus.Cancelled, Party.System, "driver-did-not-set-off", 0), decision.Effects[0]);
    }

    [Fact]
    public void GivenTheSetOffTimerFired_WhenItFiresAgain_ThenNothingHappens()
    {
        var cancelled = Accepted(Decider.Decide(Assigned(), new RideTimedOut(SetOffBy), SetOffBy)).State;

        Assert.IsType<Decision<Ride>.Unchanged>(Decider.Decide(cancelled, new RideTimedOut(SetOffBy), SetOffBy.AddSeconds(1)));
    }

    [Fact]
    public void GivenTheDriverSetOff_WhenTheSetOffTimerFires_ThenItIsStale()
    {
        var enRoute = EnRoute();

        Assert.Null(Decider.Deadline(enRoute));
        Assert.IsType<Decision<Ride>.Unchanged>(Decider.Decide(enRoute, new RideTimedOut(SetOffBy), SetOffBy));
    }

    [Fact]
    public void GivenAssigned_WhenTheDriverReportsALocation_ThenTheSetOffDeadlineStays()
    {
        var decision = Accepted(Decider.Decide(Assigned(), new ReportRideLocation(new GeoPoint(51.49, -0.11)), Now.AddMinutes(1)));

        Assert.Equal(SetOffBy, decision.Deadline);
        Assert.Equal(new Located(new GeoPoint(51.49, -0.11), Now.AddMinutes(1)), decision.State.LastLocation);
        Assert.Empty(decision.Effects);
    }

    [Fact]
    public void GivenTheDriverArrived_ThenTheRidersWaitIsTheDeadline()
    {
        Assert.Equal(WaitOverAt, Decider.Deadline(Arrived()));
    }

    [Fact]
    public void GivenArrived_WhenTheWaitTimerFiresEarly_ThenNothingHappens()
    {
        Assert.IsType<Decision<Ride>.Unchanged>(Decider.Decide(Arrived(), new RideTimedOut(WaitOverAt), WaitOverAt.AddSeconds(-1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(120)]
    public void GivenArrived_WhenTheWaitTimerFiresOnTimeOrLate_ThenTheWaitIsOverAndBothAreTold(int secondsLate)
    {
        var decision = Accepted(Decider.Decide(Arrived(), new RideTimedOut(WaitOverAt), WaitOverAt.AddSeconds(secondsLate)));

        Assert.True(decision.State.WaitOver);
        Assert.Equal(RideStatus.Arrived, decision.State.Status);
        Assert.Null(decision.Deadline);
        Assert.Equal("ride.rider-late", Assert.IsType<Notify>(Assert.Single(decision.Effects)).Notices[0].Topic);
    }

    [Fact]
    public void GivenTheWaitIsOver_WhenTheWaitTimerFiresAgain_ThenNothingHappens()
    {
        var over = Accepted(Decider.Decide(Arrived(), new RideTimedOut(WaitOverAt), WaitOverAt)).State;

        Assert.IsType<Decision<Ride>.Unchanged>(Decider.Decide(over, new RideTimedOut(WaitOverAt), WaitOverAt.AddSeconds(1)));
    }

    [Fact]
    public void GivenTheRideStarted_WhenTheWaitTimerFires_ThenItIsStale()
    {
        Assert.IsType<Decision<Ride>.Unchanged>(Decider.Decide(InProgress(), new RideTimedOut(WaitOverAt), WaitOverAt));
    }
}
