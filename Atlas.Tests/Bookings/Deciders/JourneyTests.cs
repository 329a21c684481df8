using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>What a booking's journey knows of the booking, its rides and their escrows: which news it keeps, the deadline
/// it waits on next, and when it is over.</summary>
public sealed class JourneyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Booking = FlowFact.KeyOf(BookingDecider.Name, "bk_x");
    private static readonly string Ride = FlowFact.KeyOf(RideDecider.Name, "rd_x-1");
    private static readonly string Escrow = FlowFact.KeyOf(EscrowDecider.Name, "rd_x-1");

    [Fact]
    public void GivenNothingHeard_WhenNewsOfAnInstanceComes_ThenTheJourneyKnowsIt()
    {
        var watch = Open(1, Now.AddMinutes(5));

        var journey = Journey.Empty.Heard(Booking, watch);

        Assert.Same(watch, Assert.Single(journey.Watches).Value);
    }

    [Fact]
    public void GivenAnInstanceHeardOf_WhenNewerNewsComes_ThenItReplacesWhatWasKnown()
    {
        var newer = Open(3, Now.AddMinutes(7));

        var journey = Given((Booking, Open(2, Now.AddMinutes(5)))).Heard(Booking, newer);

        Assert.Same(newer, journey.Watches[Booking]);
        Assert.Equal(Now.AddMinutes(7), journey.Next!.Deadline);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GivenAnInstanceHeardOf_WhenOlderOrEqualNewsComesLate_ThenItIsIgnored(long version)
    {
        var known = Given((Booking, Open(2, Now.AddMinutes(5))));

        var journey = known.Heard(Booking, new JourneyWatch(version, Now.AddMinutes(1), Over: true, [Ride]));

        Assert.Same(known, journey);
        Assert.Equal(Now.AddMinutes(5), journey.Next!.Deadline);
    }

    [Fact]
    public void GivenInstancesWaitingOnTime_WhenTheNextWakeIsAsked_ThenItIsTheEarliestDeadlineAndWhoseItIs()
    {
        var journey = Given(
            (Booking, Open(2, Now.AddMinutes(9))),
            (Ride, Open(4, Now.AddMinutes(3))),
            (Escrow, Open(1, Now.AddDays(6))));

        Assert.Equal(new JourneyWake(Ride, Now.AddMinutes(3), Now.AddMinutes(3)), journey.Next);
    }

    [Fact]
    public void GivenTheEarliestDeadlineIsOfAnInstanceThatIsOver_WhenTheNextWakeIsAsked_ThenItNeverWakesForIt()
    {
        var journey = Given(
            (Booking, Open(2, Now.AddMinutes(9))),
            (Ride, new JourneyWatch(5, Now.AddMinutes(3), Over: true, [])));

        Assert.Equal(new JourneyWake(Booking, Now.AddMinutes(9), Now.AddMinutes(9)), journey.Next);
    }

    [Fact]
    public void GivenOnlyInstancesThatAreOverOrWaitOnNoTime_WhenTheNextWakeIsAsked_ThenThereIsNone()
    {
        var journey = Given(
            (Booking, Open(2, deadline: null)),
            (Ride, new JourneyWatch(5, Now.AddMinutes(3), Over: true, [], WakeAt: Now.AddMinutes(1))));

        Assert.Null(journey.Next);
    }

    [Fact]
    public void GivenADeadlineToLookAtLater_WhenTheNextWakeIsAsked_ThenItWakesAtThatTimeToFireTheSameDeadline()
    {
        var journey = Given((Booking, Open(2, Now.AddMinutes(5))), (Ride, Open(4, Now.AddMinutes(8))))
            .WakeLater(Booking, Now.AddMinutes(10));

        Assert.Equal(new JourneyWake(Ride, Now.AddMinutes(8), Now.AddMinutes(8)), journey.Next);
        Assert.Equal(Now.AddMinutes(10), journey.Watches[Booking].WakeAt);
        Assert.Equal(Now.AddMinutes(5), journey.Watches[Booking].Deadline);
        Assert.Equal(2, journey.Watches[Booking].Version);
    }

    [Fact]
    public void GivenAWakeEarlierThanEveryDeadline_WhenTheNextWakeIsAsked_ThenItWakesThenForItsOwnDeadline()
    {
        var journey = Given((Booking, Open(2, Now.AddMinutes(5))), (Ride, Open(4, Now.AddMinutes(3))))
            .WakeLater(Booking, Now.AddMinutes(1));

        Assert.Equal(new JourneyWake(Booking, Now.AddMinutes(1), Now.AddMinutes(5)), journey.Next);
    }

    [Fact]
    public void GivenADeadlineLookedAtLater_WhenNewerNewsOfItsInstanceComes_ThenTheNewsDecidesTheWake()
    {
        var journey = Given((Booking, Open(2, Now.AddMinutes(5)))).WakeLater(Booking, Now.AddMinutes(10));

        var heard = journey.Heard(Booking, Open(3, Now.AddMinutes(6)));

        Assert.Equal(new JourneyWake(Booking, Now.AddMinutes(6), Now.AddMinutes(6)), heard.Next);
    }

    [Fact]
    public void GivenNothingHeard_WhenAskedIfTheJourneyIsOver_ThenItIsNot()
    {
        Assert.False(Journey.Empty.IsOver);
    }

    [Fact]
    public void GivenABookingOverAndAwaitingItsRideAndEscrow_WhenNothingOfThemWasHeard_ThenTheJourneyIsNotOver()
    {
        var journey = Given((Booking, OverAwaiting()));

        Assert.False(journey.IsOver);
    }

    [Fact]
    public void GivenABookingOverAndItsRideOver_WhenItsEscrowWasNeverHeardOf_ThenTheJourneyIsNotOver()
    {
        var journey = Given((Booking, OverAwaiting()), (Ride, new JourneyWatch(6, null, Over: true, [])));

        Assert.False(journey.IsOver);
    }

    [Fact]
    public void GivenABookingOverAwaitingItsRideAndEscrow_WhenTheEscrowHeardOfIsNotOver_ThenTheJourneyIsNotOver()
    {
        var journey = Given(
            (Booking, OverAwaiting()),
            (Ride, new JourneyWatch(6, null, Over: true, [])),
            (Escrow, Open(3, Now.AddDays(6))));

        Assert.False(journey.IsOver);
    }

    [Fact]
    public void GivenABookingOverAwaitingItsRideAndEscrow_WhenBothAreHeardOver_ThenTheJourneyIsOver()
    {
        var journey = Given(
            (Booking, OverAwaiting()),
            (Ride, new JourneyWatch(6, null, Over: true, [])),
            (Escrow, new JourneyWatch(4, null, Over: true, [])));

        Assert.True(journey.IsOver);
        Assert.Null(journey.Next);
    }

    [Fact]
    public void GivenTheRideAndEscrowOver_WhenTheBookingIsStillOpen_ThenTheJourneyIsNotOver()
    {
        var journey = Given(
            (Booking, Open(7, Now.AddMinutes(2))),
            (Ride, new JourneyWatch(6, null, Over: true, [])),
            (Escrow, new JourneyWatch(4, null, Over: true, [])));

        Assert.False(journey.IsOver);
    }

    [Fact]
    public void GivenABookingOverAwaitingNothing_WhenAskedIfTheJourneyIsOver_ThenItIs()
    {
        Assert.True(Given((Booking, new JourneyWatch(3, null, Over: true, []))).IsOver);
    }

    private static Journey Given(params (string Key, JourneyWatch Watch)[] heard) =>
        heard.Aggregate(Journey.Empty, (journey, news) => journey.Heard(news.Key, news.Watch));

    private static JourneyWatch Open(long version, DateTimeOffset? deadline) => new(version, deadline, Over: false, []);

    /// <summary>A booking that ended after its driver was assigned: it awaits that ride and its escrow.</summary>
    private static JourneyWatch OverAwaiting() => new(9, null, Over: true, [Ride, Escrow]);
}
