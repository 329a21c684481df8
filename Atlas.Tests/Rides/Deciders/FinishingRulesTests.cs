using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Drivers;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Tests.Bookings.Deciders;
using Atlas.Tests.Payments.Deciders;

namespace Atlas.Tests.Rides.Deciders;

/// <summary>A ride's end across the three lifecycles it spans: the commands the rule makes, run through the driver's,
/// the booking's and the escrow's own deciders.</summary>
public sealed class FinishingRulesTests
{
    private static readonly DriverDutyDecider Duties = new();
    private static readonly string RideId = BookingFixtures.Ride1;
    private static readonly DateTimeOffset EndedAt = BookingFixtures.ClosesAt.AddMinutes(20);

    private static T Accepted<T>(Decision<T> decision)
        where T : class => Assert.IsType<Decision<T>.Accepted>(decision).State;

    [Fact]
    public void GivenARideThatEnds_WhenItIsFinished_ThenEachLifecycleHearsTheEndWithItsFee()
    {
        var finish = FinishingRules.Finish(RideId, new FinishRide(BookingFixtures.BookingId, "drv_a", RideStatus.NoShow, Party.Driver, "rider-no-show", 500));

        Assert.Equal(new ReleaseDriver(RideId), finish.Driver);
        Assert.Equal(new RideEnded(RideId, RideStatus.NoShow, Party.Driver, "rider-no-show", 500), finish.Booking);
        Assert.Equal(new RideOver(RideStatus.NoShow, 500), finish.Escrow);
    }

    [Theory]
    [InlineData(RideStatus.Completed, null, 0, BookingStatus.Completed, EscrowStatus.Capturing)]
    [InlineData(RideStatus.NoShow, Party.Driver, 500, BookingStatus.NoShow, EscrowStatus.Capturing)]
    [InlineData(RideStatus.Cancelled, Party.Rider, 500, BookingStatus.Cancelled, EscrowStatus.Capturing)]
    [InlineData(RideStatus.Cancelled, Party.Rider, 0, BookingStatus.Cancelled, EscrowStatus.Releasing)]
    [InlineData(RideStatus.Cancelled, Party.Driver, 0, BookingStatus.Bidding, EscrowStatus.Releasing)]
    public void GivenAnAssignedRideWithItsHold_WhenItEnds_ThenTheDriverIsFreeTheBookingFollowsAndTheEscrowChargesWhatIsDue(
        RideStatus outcome, Party? by, long fee, BookingStatus booking, EscrowStatus escrow)
    {
        var finish = FinishingRules.Finish(RideId, new FinishRide(BookingFixtures.BookingId, "drv_a", outcome, by, "why", fee));

        Assert.Null(Accepted(Duties.Decide(DriverDuty.New with { ActiveRideId = RideId }, finish.Driver, EndedAt)).ActiveRideId);
        Assert.Equal(booking, Accepted(BookingFixtures.Decider.Decide(BookingFixtures.Assigned(), finish.Booking, EndedAt)).Status);
        Assert.Equal(escrow, Accepted(EscrowFixtures.Decider.Decide(EscrowFixtures.Authorised(), finish.Escrow, EndedAt)).Status);
    }

    [Fact]
    public void GivenARideAlreadyFinished_WhenTheFinishIsRedelivered_ThenNoLifecycleChanges()
    {
        var finish = FinishingRules.Finish(RideId, new FinishRide(BookingFixtures.BookingId, "drv_a", RideStatus.Completed, null, null, 0));
        var driver = Accepted(Duties.Decide(DriverDuty.New with { ActiveRideId = RideId }, finish.Driver, EndedAt));
        var booking = Accepted(BookingFixtures.Decider.Decide(BookingFixtures.Assigned(), finish.Booking, EndedAt));
        var escrow = Accepted(EscrowFixtures.Decider.Decide(EscrowFixtures.Authorised(), finish.Escrow, EndedAt));

        Assert.IsType<Decision<DriverDuty>.Unchanged>(Duties.Decide(driver, finish.Driver, EndedAt.AddMinutes(1)));
        Assert.IsType<Decision<Booking>.Unchanged>(BookingFixtures.Decider.Decide(booking, finish.Booking, EndedAt.AddMinutes(1)));
        Assert.IsType<Decision<Escrow>.Unchanged>(EscrowFixtures.Decider.Decide(escrow, finish.Escrow, EndedAt.AddMinutes(1)));
    }

    [Fact]
    public void GivenADriverAlreadyOnTheirNextRide_WhenAnOldRideFinishes_ThenTheyKeepTheNextRide()
    {
        var finish = FinishingRules.Finish(RideId, new FinishRide(BookingFixtures.BookingId, "drv_a", RideStatus.Completed, null, null, 0));

        Assert.IsType<Decision<DriverDuty>.Unchanged>(Duties.Decide(DriverDuty.New with { ActiveRideId = "rd_next-1" }, finish.Driver, EndedAt));
    }
}
