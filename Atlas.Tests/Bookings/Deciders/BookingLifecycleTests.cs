using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Integration;
using Atlas.Core.Notifications;
using Atlas.Core.Rides;
using static Atlas.Tests.Bookings.Deciders.BookingFixtures;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>A booking around its bid window: scheduled opening, the award to a free driver, cancellation, and
/// following its ride to the end (or back to bidding when the driver drops out).</summary>
public sealed class BookingLifecycleTests
{
    private static readonly DateTimeOffset Pickup = Now.AddHours(2);
    private static readonly DateTimeOffset OpensAt = Pickup - BookingRules.Default.BiddingLead;

    private static Decision<Booking>.Accepted Accepted(Decision<Booking> decision) => Assert.IsType<Decision<Booking>.Accepted>(decision);

    private static IReadOnlyList<Notice> Notices(Decision<Booking>.Accepted decision) => decision.Effects.OfType<Notify>().SelectMany(n => n.Notices).ToList();

    [Fact]
    public void GivenNothing_WhenBookedForLater_ThenScheduledUntilBiddingOpensBeforeThePickup()
    {
        var decision = Accepted(Decider.Decide(Booking.None, new OpenBooking(Terms(Pickup)), Now));

        Assert.Equal(BookingStatus.Scheduled, decision.State.Status);
        Assert.Equal(OpensAt, decision.State.OpensAt);
        Assert.Equal(OpensAt, decision.Deadline);
        Assert.Equal(BusinessEvents.BookingCreated, Assert.IsType<Publish>(Assert.Single(decision.Effects)).Event.Type);
    }

    [Fact]
    public void GivenNothing_WhenBookedForSoonerThanTheLead_ThenBiddingOpensNow()
    {
        var decision = Accepted(Decider.Decide(Booking.None, new OpenBooking(Terms(Now.AddMinutes(10))), Now));

        Assert.Equal(BookingStatus.Bidding, decision.State.Status);
    }

    [Fact]
    public void GivenScheduled_WhenTheOpeningTimerFiresEarly_ThenNothingHappens()
    {
        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(Scheduled(), new BookingTimedOut(OpensAt), OpensAt.AddSeconds(-1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    public void GivenScheduled_WhenTheOpeningTimerFiresOnTimeOrLate_ThenAWindowOpensFromThatMoment(int secondsLate)
    {
        var at = OpensAt.AddSeconds(secondsLate);

        var decision = Accepted(Decider.Decide(Scheduled(), new BookingTimedOut(OpensAt), at));

        Assert.Equal(BookingStatus.Bidding, decision.State.Status);
        Assert.Equal(at + Window, decision.Deadline);
        Assert.IsType<InviteDrivers>(Assert.Single(decision.Effects));
    }

    [Fact]
    public void GivenScheduled_WhenTheOpeningTimerFiresTwice_ThenTheSecondDoesNothing()
    {
        var opened = Accepted(Decider.Decide(Scheduled(), new BookingTimedOut(OpensAt), OpensAt)).State;

        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(opened, new BookingTimedOut(OpensAt), OpensAt.AddSeconds(1)));
    }

    [Fact]
    public void GivenAwarding_WhenTheDriverIsReserved_ThenAssignedAtTheBidAndEveryBidderIsTold()
    {
        var given = Awarding(BidOf("drv_a", 900), BidOf("drv_b", 950));

        var decision = Accepted(Decider.Decide(given, new DriverReserved(Ride1, "drv_a"), ClosesAt.AddSeconds(1)));

        Assert.Equal(BookingStatus.Assigned, decision.State.Status);
        Assert.Equal(new Assignment(Ride1, "drv_a", "usr_drv_a", "co_drv_a", 900, ClosesAt.AddSeconds(1)), decision.State.Assignment);
        Assert.Equal(
            [new Notice(Rider, "booking.assigned", BookingId, 900, Ride1), new Notice("usr_drv_a", "bid.won", BookingId, 900, Ride1), new Notice("usr_drv_b", "bid.lost", BookingId)],
            Notices(decision));
    }

    [Fact]
    public void GivenAwarding_WhenTheWinnerIsBusy_ThenTheNextBidIsOffered()
    {
        var given = Awarding(BidOf("drv_a", 900), BidOf("drv_b", 950));

        var decision = Accepted(Decider.Decide(given, new DriverUnavailable(Ride1, "drv_a"), ClosesAt.AddSeconds(1)));

        Assert.Equal(1, decision.State.Candidate);
        Assert.Equal("drv_b", Assert.IsType<AwardRide>(Assert.Single(decision.Effects)).Winner.DriverId);
    }

    [Fact]
    public void GivenAwarding_WhenAReplyNamesAnotherDriver_ThenItIsStale()
    {
        var given = Awarding(BidOf("drv_a", 900), BidOf("drv_b", 950));

        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(given, new DriverReserved(Ride1, "drv_b"), ClosesAt.AddSeconds(1)));
        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(given, new DriverUnavailable(Ride1, "drv_b"), ClosesAt.AddSeconds(1)));
    }

    [Fact]
    public void GivenAwardingTheLastBid_WhenThatDriverIsBusy_ThenTheWindowIsExtendedAndTheBiddersToldTheyLost()
    {
        var given = Awarding(BidOf("drv_a", 900));

        var decision = Accepted(Decider.Decide(given, new DriverUnavailable(Ride1, "drv_a"), ClosesAt.AddSeconds(1)));

        Assert.Equal(BookingStatus.Bidding, decision.State.Status);
        Assert.True(decision.State.Window!.Extended);
        Assert.Empty(decision.State.Bids);
        Assert.Contains(new Notice("usr_drv_a", "bid.lost", BookingId), Notices(decision));
    }

    [Fact]
    public void GivenBidding_WhenTheRiderCancels_ThenCancelledFreeAndTheBiddersAreTold()
    {
        var decision = Accepted(Decider.Decide(Bidding(BidOf("drv_a", 900)), new CancelBooking(Party.Rider, "changedPlans"), Now.AddSeconds(30)));

        Assert.Equal(BookingStatus.Cancelled, decision.State.Status);
        Assert.Equal(new Ending(Now.AddSeconds(30), Party.Rider, "changedPlans", 0), decision.State.Ending);
        Assert.Null(decision.Deadline);
        Assert.Contains(new Notice("usr_drv_a", "booking.cancelled", BookingId), Notices(decision));
    }

    [Fact]
    public void GivenCancelledWhileAwarding_WhenTheDriverIsReservedAfterAll_ThenTheRideIsRecalled()
    {
        var cancelled = Accepted(Decider.Decide(Awarding(BidOf("drv_a", 900)), new CancelBooking(Party.Rider, "changedPlans"), ClosesAt)).State;

        var decision = Accepted(Decider.Decide(cancelled, new DriverReserved(Ride1, "drv_a"), ClosesAt.AddSeconds(1)));

        Assert.Equal(BookingStatus.Cancelled, decision.State.Status);
        Assert.Equal(new RecallRide(Ride1), Assert.Single(decision.Effects));
    }

    [Theory]
    [InlineData(RideStatus.Completed, null, 0, BookingStatus.Completed)]
    [InlineData(RideStatus.NoShow, Party.Driver, 500, BookingStatus.NoShow)]
    [InlineData(RideStatus.Cancelled, Party.Rider, 500, BookingStatus.Cancelled)]
    public void GivenAssigned_WhenTheRideEndsForTheRider_ThenTheBookingEndsTheSameWayWithTheFee(RideStatus outcome, Party? by, long fee, BookingStatus expected)
    {
        var decision = Accepted(Decider.Decide(Assigned(), new RideEnded(Ride1, outcome, by, "why", fee), ClosesAt.AddMinutes(20)));

        Assert.Equal(expected, decision.State.Status);
        Assert.Equal(fee, decision.State.Ending!.Fee);
        Assert.Equal(
            expected == BookingStatus.Cancelled ? [BusinessEvents.BookingCancelled] : [],
            decision.Effects.Select(e => Assert.IsType<Publish>(e).Event.Type));
    }

    [Theory]
    [InlineData(Party.Driver)]
    [InlineData(Party.System)]
    public void GivenAssigned_WhenTheDriverDropsOut_ThenBiddingOpensAgainWithoutThem(Party by)
    {
        var at = ClosesAt.AddMinutes(6);

        var decision = Accepted(Decider.Decide(Assigned(), new RideEnded(Ride1, RideStatus.Cancelled, by, "driver-did-not-set-off", 0), at));

        Assert.Equal(BookingStatus.Bidding, decision.State.Status);
        Assert.Equal(2, decision.State.Round);
        Assert.Equal(RideIds.For(BookingId, 2), decision.State.RideId);
        Assert.Equal(["drv_a"], decision.State.Excluded);
        Assert.Null(decision.State.Assignment);
        Assert.Equal(at + Window, decision.Deadline);
        Assert.Equal(["drv_a"], Assert.IsType<InviteDrivers>(decision.Effects[0]).Excluded);
        Assert.Equal(new Notice(Rider, "booking.reassigning", BookingId), Assert.Single(Notices(decision)));
        Assert.Equal("driver-excluded", Assert.IsType<Decision<Booking>.Rejected>(
            Decider.Decide(decision.State, Place(BidOf("drv_a", 900)), at.AddSeconds(1))).Rejection.Code);
    }

    [Fact]
    public void GivenTheLastRound_WhenTheDriverDropsOut_ThenTheBookingExpires()
    {
        var booking = Assigned();
        var at = ClosesAt;
        for (var round = 1; round < BookingRules.Default.MaxRounds; round++)
        {
            var driver = $"drv_{round}";
            at = at.AddMinutes(10);
            booking = Accepted(Decider.Decide(booking, new RideEnded(booking.RideId, RideStatus.Cancelled, Party.System, "late", 0), at)).State;
            booking = Accepted(Decider.Decide(booking, Place(BidOf(driver, 900) with { PlacedAt = at }), at)).State;
            booking = Accepted(Decider.Decide(booking, new BookingTimedOut(booking.Window!.ClosesAt), booking.Window.ClosesAt)).State;
            booking = Accepted(Decider.Decide(booking, new DriverReserved(booking.RideId, driver), booking.Window!.ClosesAt)).State;
        }

        var decision = Accepted(Decider.Decide(booking, new RideEnded(booking.RideId, RideStatus.Cancelled, Party.Driver, "vehicleProblem", 0), at.AddMinutes(10)));

        Assert.Equal(BookingStatus.Expired, decision.State.Status);
        Assert.Equal("booking.expired", Assert.Single(Notices(decision)).Topic);
    }

    [Fact]
    public void GivenAssigned_WhenAnEarlierRoundsRideEnds_ThenItIsStale()
    {
        Assert.IsType<Decision<Booking>.Unchanged>(
            Decider.Decide(Assigned(), new RideEnded(RideIds.For(BookingId, 9), RideStatus.Completed, null, null, 0), ClosesAt.AddMinutes(20)));
    }
}
