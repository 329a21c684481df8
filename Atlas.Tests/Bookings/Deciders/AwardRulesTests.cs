using Atlas.Core.Bidding;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Drivers;
using Atlas.Core.Rides;
using static Atlas.Tests.Bookings.Deciders.BookingFixtures;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>Carrying out an award: who is passed over, what the winner's instance's answer means to the booking, and the
/// ride the award creates; each answer is fed back to the booking's decider to show where it leads.</summary>
public sealed class AwardRulesTests
{
    private static readonly DriverDutyDecider Duties = new();
    private static readonly Bid First = BidOf("drv_a", 900);
    private static readonly Bid Second = BidOf("drv_b", 950);

    /// <summary>The award the booking's window closing asks for, and the booking awaiting its answer.</summary>
    private static (Booking Booking, AwardRide Award) Closed()
    {
        var decision = Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(Bidding(First, Second), new BookingTimedOut(ClosesAt), ClosesAt));
        return (decision.State, Assert.Single(decision.Effects.OfType<AwardRide>()));
    }

    [Fact]
    public void GivenAnAvailableWinner_WhenTheAwardIsCarriedOut_ThenTheWinnerGoesOnToBeReserved()
    {
        var (_, award) = Closed();

        Assert.Null(AwardRules.PassOver(award, new WinnerFacts(Available: true, Holds: null)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("rd_other-1")]
    public void GivenAWinnerWhoWentUnavailableSinceBidding_WhenTheAwardIsCarriedOut_ThenPassedOverAndTheNextBidIsOffered(string? holds)
    {
        var (booking, award) = Closed();

        var answer = AwardRules.PassOver(award, new WinnerFacts(Available: false, holds));

        Assert.Equal(new DriverUnavailable(award.RideId, "drv_a"), answer);
        var next = Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(booking, answer!, ClosesAt.AddSeconds(1)));
        Assert.Equal("drv_b", Assert.Single(next.Effects.OfType<AwardRide>()).Winner.DriverId);
    }

    [Fact]
    public void GivenAWinnerWhoWentUnavailableAfterTakingThisRide_WhenTheAwardIsRedelivered_ThenItGoesOnSoARetryNeverUndoesTheRide()
    {
        var (_, award) = Closed();

        Assert.Null(AwardRules.PassOver(award, new WinnerFacts(Available: false, Holds: award.RideId)));
    }

    [Fact]
    public void GivenAFreeWinner_WhenTheirInstanceReservesThem_ThenTheRideIsCreatedAndTheBookingAssigned()
    {
        var (booking, award) = Closed();
        var reserved = Assert.IsType<Decision<DriverDuty>.Accepted>(Duties.Decide(DriverDuty.New, new ReserveDriver(award.RideId), ClosesAt));

        Assert.Null(AwardRules.AfterReservation(award, null));
        Assert.Equal(award.RideId, reserved.State.ActiveRideId);
        var assigned = Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(booking, AwardRules.Reserved(award), ClosesAt.AddSeconds(1)));
        Assert.Equal(BookingStatus.Assigned, assigned.State.Status);
        Assert.Equal("drv_a", assigned.State.Assignment!.DriverId);
    }

    [Fact]
    public void GivenAWinnerOnAnotherRide_WhenTheirInstanceRefuses_ThenTheBookingHearsTheyAreUnavailable()
    {
        var (booking, award) = Closed();
        var refused = Assert.IsType<Decision<DriverDuty>.Rejected>(
            Duties.Decide(DriverDuty.New with { ActiveRideId = "rd_other-1" }, new ReserveDriver(award.RideId), ClosesAt));

        var answer = AwardRules.AfterReservation(award, refused.Rejection);

        Assert.Equal(new DriverUnavailable(award.RideId, "drv_a"), answer);
        Assert.IsType<Decision<Booking>.Accepted>(Decider.Decide(booking, answer!, ClosesAt.AddSeconds(1)));
    }

    [Fact]
    public void GivenTheAward_WhenTheRideIsMade_ThenItCarriesTheWinningBidTheTripAndTheStartCode()
    {
        var (_, award) = Closed();

        var create = AwardRules.NewRide(award, BookingId, "4821");

        Assert.Equal(
            new RideTerms(award.RideId, BookingId, Rider, "drv_a", "usr_drv_a", "co_drv_a", Terms().Trip, 900, "GBP", "4821"),
            create.Terms);
        var ride = Assert.IsType<Decision<Ride>.Accepted>(new RideDecider().Decide(Ride.None, create, ClosesAt.AddSeconds(1)));
        Assert.Equal(RideStatus.Assigned, ride.State.Status);
    }
}
