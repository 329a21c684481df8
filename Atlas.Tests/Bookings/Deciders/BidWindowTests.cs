using Atlas.Core.Bidding;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Integration;
using Atlas.Core.Notifications;
using static Atlas.Tests.Bookings.Deciders.BookingFixtures;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>The blind bid window: sealed bids, their bounds, the close (on time, early, late, twice, stale), the
/// ranking, and what happens with no bids.</summary>
public sealed class BidWindowTests
{
    private static Decision<Booking>.Accepted Accepted(Decision<Booking> decision) => Assert.IsType<Decision<Booking>.Accepted>(decision);

    private static string Rejected(Decision<Booking> decision) => Assert.IsType<Decision<Booking>.Rejected>(decision).Rejection.Code;

    [Fact]
    public void GivenNothing_WhenOpenedNow_ThenBiddingForTheWindowAndNearbyDriversAreInvited()
    {
        var decision = Accepted(Decider.Decide(Booking.None, new OpenBooking(Terms()), Now));

        Assert.Equal(BookingStatus.Bidding, decision.State.Status);
        Assert.Equal(new BidWindow(Now, ClosesAt, Extended: false), decision.State.Window);
        Assert.Equal(ClosesAt, decision.Deadline);
        var invite = Assert.IsType<InviteDrivers>(decision.Effects[0]);
        Assert.Equal(Quote.Total, invite.QuoteTotal);
        Assert.Empty(invite.Excluded);
        Assert.Equal(BusinessEvents.BookingCreated, Assert.IsType<Publish>(Assert.Single(decision.Effects.Skip(1))).Event.Type);
    }

    [Fact]
    public void GivenBidding_WhenADriverBidsTwice_ThenTheSecondBidReplacesTheFirst()
    {
        var given = Bidding(BidOf("drv_a", 900));

        var decision = Accepted(Decider.Decide(given, Place(BidOf("drv_a", 800, secondsIn: 30)), Now.AddSeconds(30)));

        var bid = Assert.Single(decision.State.Bids);
        Assert.Equal(800, bid.Amount);
        Assert.Equal(ClosesAt, decision.Deadline);
        Assert.Empty(decision.Effects);
    }

    [Fact]
    public void GivenBidding_WhenTheDriverWithdraws_ThenTheirBidIsGoneAndWithdrawingAgainChangesNothing()
    {
        var given = Bidding(BidOf("drv_a", 900), BidOf("drv_b", 950));

        var withdrawn = Accepted(Decider.Decide(given, new WithdrawBid("drv_a"), Now.AddSeconds(20))).State;

        Assert.Equal("drv_b", Assert.Single(withdrawn.Bids).DriverId);
        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(withdrawn, new WithdrawBid("drv_a"), Now.AddSeconds(21)));
    }

    [Theory]
    [InlineData(524, "bid-out-of-range")]
    [InlineData(525, null)]
    [InlineData(2100, null)]
    [InlineData(2101, "bid-out-of-range")]
    public void GivenBidding_WhenTheAmountIsOutsideHalfToTwiceTheQuote_ThenRefused(long amount, string? code)
    {
        Assert.Equal(1050, Quote.Total);

        var decision = Decider.Decide(Bidding(), Place(BidOf("drv_a", amount)), Now.AddSeconds(10));

        if (code is null)
        {
            Accepted(decision);
        }
        else
        {
            Assert.Equal(code, Rejected(decision));
        }
    }

    [Theory]
    [InlineData(VehicleType.Van, 8)]
    [InlineData(VehicleType.Car, 1)]
    public void GivenBidding_WhenTheVehicleDoesNotFitTheTrip_ThenRefused(VehicleType vehicle, int seats)
    {
        var decision = Decider.Decide(Bidding(), Place(BidOf("drv_a", 900), vehicle, seats), Now.AddSeconds(10));

        Assert.Equal("vehicle-unsuitable", Rejected(decision));
    }

    [Fact]
    public void GivenBidding_WhenABidArrivesAtTheCloseBeforeTheTimerFired_ThenItIsTooLate()
    {
        Assert.Equal("bidding-closed", Rejected(Decider.Decide(Bidding(), Place(BidOf("drv_a", 900)), ClosesAt)));
        Assert.Equal("bidding-closed", Rejected(Decider.Decide(Bidding(BidOf("drv_a", 900)), new WithdrawBid("drv_a"), ClosesAt)));
    }

    [Fact]
    public void GivenBidding_WhenTheCloseTimerFiresEarly_ThenNothingHappens()
    {
        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(Bidding(BidOf("drv_a", 900)), new BookingTimedOut(ClosesAt), ClosesAt.AddSeconds(-1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void GivenBids_WhenTheWindowCloses_OnTimeOrLate_ThenTheLowestBidIsOfferedToItsDriver(int secondsLate)
    {
        var given = Bidding(BidOf("drv_a", 900), BidOf("drv_b", 700), BidOf("drv_c", 800));

        var decision = Accepted(Decider.Decide(given, new BookingTimedOut(ClosesAt), ClosesAt.AddSeconds(secondsLate)));

        Assert.Equal(BookingStatus.Awarding, decision.State.Status);
        Assert.Null(decision.Deadline);
        var award = Assert.IsType<AwardRide>(Assert.Single(decision.Effects));
        Assert.Equal("drv_b", award.Winner.DriverId);
        Assert.Equal(Ride1, award.RideId);
        Assert.Equal(["drv_b", "drv_c", "drv_a"], decision.State.Bids.Select(b => b.DriverId));
    }

    [Fact]
    public void GivenTheWindowClosed_WhenTheCloseTimerFiresTwice_ThenTheSecondDoesNothing()
    {
        var closed = Awarding(BidOf("drv_a", 900));

        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(closed, new BookingTimedOut(ClosesAt), ClosesAt.AddSeconds(2)));
    }

    [Fact]
    public void GivenTiedAmounts_WhenRanked_ThenTheHigherRatingWinsThenTheEarlierBid()
    {
        var ranked = Bids.Rank(
        [
            BidOf("unrated", 800, rating: null, secondsIn: 1),
            BidOf("late", 800, rating: 4.9, secondsIn: 30),
            BidOf("early", 800, rating: 4.9, secondsIn: 20),
            BidOf("lower", 800, rating: 4.2, secondsIn: 2),
            BidOf("pricier", 801, rating: 5.0, secondsIn: 0),
        ]);

        Assert.Equal(["early", "late", "lower", "unrated", "pricier"], ranked.Select(b => b.DriverId));
    }

    [Fact]
    public void GivenNoBids_WhenTheWindowCloses_ThenItIsExtendedOnceAndTheRiderIsTold()
    {
        var decision = Accepted(Decider.Decide(Bidding(), new BookingTimedOut(ClosesAt), ClosesAt.AddSeconds(3)));

        Assert.Equal(BookingStatus.Bidding, decision.State.Status);
        Assert.Equal(new BidWindow(Now, ClosesAt.AddSeconds(3) + Window, Extended: true), decision.State.Window);
        Assert.Equal(decision.State.Window!.ClosesAt, decision.Deadline);
        Assert.Contains(decision.Effects, e => e is InviteDrivers);
        var notice = Assert.Single(Assert.Single(decision.Effects.OfType<Notify>()).Notices);
        Assert.Equal(new Notice(Rider, "booking.extended", BookingId), notice);
    }

    [Fact]
    public void GivenTheExtendedWindow_WhenTheOldCloseFires_ThenItIsStaleAndNothingHappens()
    {
        var extended = Accepted(Decider.Decide(Bidding(), new BookingTimedOut(ClosesAt), ClosesAt)).State;

        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(extended, new BookingTimedOut(ClosesAt), ClosesAt + Window));
    }

    [Fact]
    public void GivenTheExtendedWindowWithNoBids_WhenItCloses_ThenTheBookingExpiresAndTheRiderIsTold()
    {
        var extended = Accepted(Decider.Decide(Bidding(), new BookingTimedOut(ClosesAt), ClosesAt)).State;

        var decision = Accepted(Decider.Decide(extended, new BookingTimedOut(ClosesAt + Window), ClosesAt + Window));

        Assert.Equal(BookingStatus.Expired, decision.State.Status);
        Assert.Equal("no-driver", decision.State.Ending!.Reason);
        Assert.Null(decision.Deadline);
        Assert.Equal("booking.expired", Assert.Single(Assert.IsType<Notify>(Assert.Single(decision.Effects)).Notices).Topic);
    }
}
