using Atlas.Core.Common;
using Atlas.Core.Notifications;
using Atlas.Core.Rides;
using static Atlas.Tests.Rides.Deciders.RideFixtures;

namespace Atlas.Tests.Rides.Deciders;

/// <summary>The ride's rules between the timers: the start code, no-shows, cancellation fees, completion, ratings.</summary>
public sealed class RideRulesTests
{
    private static Decision<Ride>.Accepted Accepted(Decision<Ride> decision) => Assert.IsType<Decision<Ride>.Accepted>(decision);

    private static string Rejected(Decision<Ride> decision) => Assert.IsType<Decision<Ride>.Rejected>(decision).Rejection.Code;

    [Fact]
    public void GivenArrived_WhenAWrongCodeIsGiven_ThenTheFailureIsCountedAndTheRideWaits()
    {
        var decision = Accepted(Decider.Decide(Arrived(), new StartRide("0000"), ArrivedAt.AddMinutes(1)));

        Assert.Equal(RideStatus.Arrived, decision.State.Status);
        Assert.Equal(1, decision.State.StartAttemptsFailed);
        Assert.Equal(WaitOverAt, decision.Deadline);
    }

    [Fact]
    public void GivenArrived_WhenTheFifthWrongCodeIsGiven_ThenStartIsLockedUntilADispatcherUnlocksIt()
    {
        var ride = Arrived();
        for (var i = 0; i < Rules.MaxStartAttempts; i++)
        {
            ride = Accepted(Decider.Decide(ride, new StartRide("0000"), ArrivedAt.AddMinutes(1))).State;
        }

        Assert.True(Decider.IsStartLocked(ride));
        Assert.Equal("start-locked", Rejected(Decider.Decide(ride, new StartRide(Code), ArrivedAt.AddMinutes(2))));

        var unlocked = Accepted(Decider.Decide(ride, new UnlockStart(), ArrivedAt.AddMinutes(3)));
        Assert.Equal("ride.start-unlocked", Assert.IsType<Notify>(Assert.Single(unlocked.Effects)).Notices[0].Topic);
        Assert.Equal(RideStatus.InProgress, Accepted(Decider.Decide(unlocked.State, new StartRide(Code), ArrivedAt.AddMinutes(4))).State.Status);
    }

    [Fact]
    public void GivenArrived_WhenTheRightCodeIsGiven_ThenTheRideStartsAndTheRiderIsTold()
    {
        var decision = Accepted(Decider.Decide(Arrived(), new StartRide(Code), ArrivedAt.AddMinutes(1)));

        Assert.Equal(RideStatus.InProgress, decision.State.Status);
        Assert.Equal(ArrivedAt.AddMinutes(1), decision.State.StartedAt);
        Assert.Null(decision.Deadline);
        Assert.Equal(new Notice("usr_rider", "ride.started", "bk_1", RideId: "rd_1"), Assert.Single(Assert.IsType<Notify>(Assert.Single(decision.Effects)).Notices));
    }

    [Fact]
    public void GivenArrived_WhenTheDriverMarksANoShowAfterTheWaitEvenBeforeTheTimerFired_ThenNoShowWithTheFee()
    {
        var decision = Accepted(Decider.Decide(Arrived(), new MarkNoShow(), WaitOverAt));

        Assert.Equal(RideStatus.NoShow, decision.State.Status);
        Assert.Equal(Rules.NoShowFee, decision.State.Ending!.Fee);
        Assert.Equal(new FinishRide("bk_1", "mb_driver", RideStatus.NoShow, Party.Driver, "rider-no-show", Rules.NoShowFee), decision.Effects[0]);
    }

    [Theory]
    [InlineData(Party.Rider, 120, 0)]
    [InlineData(Party.Rider, 121, 500)]
    [InlineData(Party.Driver, 600, 0)]
    [InlineData(Party.System, 600, 0)]
    public void GivenAssigned_WhenCancelled_ThenOnlyARidersLateCancellationCostsTheFee(Party by, int secondsAfterAssignment, long fee)
    {
        var at = Now.AddSeconds(secondsAfterAssignment);

        var decision = Accepted(Decider.Decide(EnRoute(), new CancelRide(by, "why"), at));

        Assert.Equal(RideStatus.Cancelled, decision.State.Status);
        Assert.Equal(new Atlas.Core.Bookings.Ending(at, by, "why", fee), decision.State.Ending);
        Assert.Equal(new FinishRide("bk_1", "mb_driver", RideStatus.Cancelled, by, "why", fee), decision.Effects[0]);
    }

    [Fact]
    public void GivenInProgress_WhenCompleted_ThenTheDriverIsFreedAndBothAreToldThePrice()
    {
        var decision = Accepted(Decider.Decide(InProgress(), new CompleteRide(), ArrivedAt.AddMinutes(20)));

        Assert.Equal(RideStatus.Completed, decision.State.Status);
        Assert.Equal(new FinishRide("bk_1", "mb_driver", RideStatus.Completed, null, null, 0), decision.Effects[0]);
        Assert.All(Assert.IsType<Notify>(decision.Effects[1]).Notices, n => Assert.Equal(1200, n.Amount));
    }

    [Fact]
    public void GivenCompleted_WhenTheRiderRates_ThenTheRatingCountsForTheDriverOnce()
    {
        var decision = Accepted(Decider.Decide(Completed(), new RateRide(Party.Rider, 4, "Smooth"), ArrivedAt.AddHours(1)));

        Assert.Equal(new Rating(4, "Smooth", ArrivedAt.AddHours(1)), decision.State.RiderRating);
        Assert.Equal(new RateDriver("mb_driver", "co_1", 4), Assert.Single(decision.Effects));
        Assert.Equal("already-rated", Rejected(Decider.Decide(decision.State, new RateRide(Party.Rider, 5, null), ArrivedAt.AddHours(2))));
    }

    [Fact]
    public void GivenCompleted_WhenTheDriverRatesTheRider_ThenItIsKeptWithNothingToCarryOut()
    {
        var decision = Accepted(Decider.Decide(Completed(), new RateRide(Party.Driver, 5, null), ArrivedAt.AddHours(1)));

        Assert.Equal(5, decision.State.DriverRating!.Stars);
        Assert.Null(decision.State.RiderRating);
        Assert.Empty(decision.Effects);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void GivenCompleted_WhenStarsAreOutOfRange_ThenRefused(int stars)
    {
        Assert.Equal("rating-out-of-range", Rejected(Decider.Decide(Completed(), new RateRide(Party.Rider, stars, null), ArrivedAt.AddHours(1))));
    }
}
