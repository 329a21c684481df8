using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Rides;
using static Atlas.Tests.Bookings.Deciders.BookingFixtures;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>The booking's side of payment: the award holds the winning bid; a declined card reopens bidding once.</summary>
public sealed class BookingPaymentTests
{
    private static readonly DateTimeOffset Later = ClosesAt.AddMinutes(1);

    [Fact]
    public void GivenAwarding_WhenTheDriverIsReserved_ThenTheWinningBidIsHeldOnTheRidersCard()
    {
        var accepted = Assert.IsType<Decision<Booking>.Accepted>(
            Decider.Decide(Awarding(BidOf("drv_a", 900)), new DriverReserved(Ride1, "drv_a"), ClosesAt.AddSeconds(1)));

        Assert.Contains(new HoldPayment(Ride1, Rider, "drv_a", "usr_drv_a", "co_drv_a", 900, "GBP"), accepted.Effects);
    }

    [Fact]
    public void GivenAssigned_WhenTheCardIsDeclined_ThenTheRideIsCalledOffAndBiddingReopensWithTheDriverWelcome()
    {
        var accepted = Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(Assigned(), new RidePaymentDeclined(Ride1), Later));

        Assert.Equal(BookingStatus.Bidding, accepted.State.Status);
        Assert.Equal(2, accepted.State.Round);
        Assert.Empty(accepted.State.Excluded);
        Assert.Null(accepted.State.Assignment);
        Assert.Contains(new RecallRide(Ride1, RecallRide.CardDeclined), accepted.Effects);
        Assert.Contains(accepted.Effects, e => e is InviteDrivers);
    }

    [Fact]
    public void GivenACardDeclinedOnce_WhenItIsDeclinedAgain_ThenTheBookingIsCancelled()
    {
        var reopened = Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(Assigned(), new RidePaymentDeclined(Ride1), Later)).State;
        var closesAt = reopened.Window!.ClosesAt;
        var ride2 = RideIds.For(BookingId, 2);
        var reassigned = DeciderHistory(reopened, (Place(BidOf("drv_b", 950, secondsIn: 0) with { PlacedAt = Later.AddSeconds(5) }), Later.AddSeconds(5)), (new BookingTimedOut(closesAt), closesAt), (new DriverReserved(ride2, "drv_b"), closesAt.AddSeconds(1)));

        var accepted = Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(reassigned, new RidePaymentDeclined(ride2), closesAt.AddSeconds(2)));

        Assert.Equal(BookingStatus.Cancelled, accepted.State.Status);
        Assert.Equal(RecallRide.CardDeclined, accepted.State.Ending!.Reason);
        Assert.Equal(Party.System, accepted.State.Ending.By);
        Assert.Contains(new RecallRide(ride2, RecallRide.CardDeclined), accepted.Effects);
    }

    [Fact]
    public void GivenAssigned_WhenAnotherRidesDeclineArrives_ThenNothingHappens()
    {
        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(Assigned(), new RidePaymentDeclined("rd_other-1"), Later));
        Assert.IsType<Decision<Booking>.Unchanged>(Decider.Decide(Ended(RideStatus.Completed), new RidePaymentDeclined(Ride1), Later));
    }

    private static Booking DeciderHistory(Booking from, params (BookingCommand Command, DateTimeOffset At)[] history) =>
        history.Aggregate(from, (state, step) => Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(state, step.Command, step.At)).State);
}
