using Atlas.Core.Bookings;
using Atlas.Functions.Lifecycles;
using static Atlas.Functions.Bookings.BookingJourney;
using Due = Atlas.Functions.Lifecycles.FlowActivities.Due;

namespace Atlas.Tests.Bookings;

// How long it lives: to the end of the booking, its ride and its escrow whatever order their news comes in, across
// rounds of award, and over executions.
public sealed partial class JourneyFlowTests
{
    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(0, 2, 1)]
    [InlineData(1, 0, 2)]
    [InlineData(1, 2, 0)]
    [InlineData(2, 0, 1)]
    [InlineData(2, 1, 0)]
    public void In_whatever_order_the_booking_ride_and_escrow_are_heard_over_the_journey_ends_after_the_last_and_not_before(int first, int second, int third)
    {
        FlowFact[] ends = [Booking(6, null, over: true, awaits: Awaiting(Ride1)), Ride(Ride1, 9, null, over: true), Escrow(Ride1, 5, null, over: true)];
        Hears(ends[first], ends[second], ends[third]);

        // The booking just assigned its driver: neither the ride nor its escrow has been heard of yet.
        var flow = FollowAsync(_context.Object, Knowing(Booking(5, null, awaits: Awaiting(Ride1))));

        Assert.True(flow.IsCompletedSuccessfully, flow.Exception?.ToString() ?? "The journey is still waiting.");
        Assert.Equal<object>([Wait, Wait, Wait], _log);
        Assert.Equal(new FlowStatus(false, null, null), _status! with { Heard = null });
        Assert.All(_status.Heard!.Values, h => Assert.True(h.Over));
        Assert.Empty(_continued);
    }

    [Fact]
    public void After_its_turns_it_continues_as_new_carrying_what_it_knows_the_steps_taken_and_news_yet_to_come()
    {
        var authorise = StepOf("payment.authorise", 2, 0);
        Hears(Escrow(Ride1, 2, null, authorise));
        _answers.Enqueue(Task.FromResult<FlowFact?>(null));
        for (var version = 2; version <= TurnsPerExecution; version++)
        {
            Hears(Booking(version, Now.AddMinutes(version)));
        }

        var flow = FollowAsync(_context.Object, Knowing(Booking(1, Now.AddMinutes(1))));

        Assert.True(flow.IsCompletedSuccessfully, flow.Exception?.ToString() ?? "The journey is still waiting.");
        // One turn made the step, every other heard one fact; the last fact waits for the next execution.
        Assert.Equal(TurnsPerExecution - 1, _log.Count(e => e is Waits));
        Assert.Single(_script);
        var (input, preserve) = Assert.Single(_continued);
        Assert.True(preserve);
        var carried = Assert.IsType<Input>(input);
        Assert.Null(carried.Fact);
        var progress = carried.Progress!;
        Assert.Equal(TurnsPerExecution - 1, progress.Journey.Watches[BookingKey].Version);
        Assert.Equal(Now.AddMinutes(TurnsPerExecution - 1), progress.Journey.Next!.Deadline);
        Assert.Equal(2, progress.Journey.Watches[Escrow1Key].Version);
        Assert.Equal([authorise.EffectId], progress.Taken);
        Assert.Empty(progress.Steps);
        Assert.Equal(Retry, progress.Retry);
        Assert.False(progress.AfterOver);
    }

    [Fact]
    public void A_booking_re_awarded_over_three_rounds_is_followed_round_by_round_and_the_journey_stays_while_it_is_open()
    {
        var (close1, close2, close3) = (Now.AddMinutes(5), Now.AddMinutes(40), Now.AddMinutes(80));
        var authorise = StepOf("payment.authorise", 1, 0);

        // Round 1: the window closes, a driver is assigned, the ride and its hold begin; the driver withdraws and the
        // hold is released, and the booking bids again.
        TimerComes();
        _firings.Enqueue(Answer(Booking(2, null)));
        Hears(
            Booking(3, null, awaits: Awaiting(Ride1)),
            Ride(Ride1, 1, Now.AddMinutes(30)),
            Escrow(Ride1, 1, null, authorise));
        _answers.Enqueue(Task.FromResult<FlowFact?>(Escrow(Ride1, 2, Now.AddDays(6))));
        Hears(Ride(Ride1, 2, null, over: true), Escrow(Ride1, 3, null, over: true), Booking(4, close2));

        // Round 2: the same, with a ride whose hold never began.
        TimerComes();
        _firings.Enqueue(Answer(Booking(5, null)));
        Hears(Booking(6, null, awaits: Awaiting(Ride2)), Ride(Ride2, 1, Now.AddMinutes(60)), Ride(Ride2, 2, null, over: true), Booking(7, close3));

        var flow = FollowAsync(_context.Object, Knowing(Booking(1, close1)));

        Rests(flow);
        Assert.Equal(
            [new Due(BookingDecider.Name, BookingId, close1), new Due(BookingDecider.Name, BookingId, close2)],
            _dues);
        Assert.Equal([new Takes(authorise.EffectId)], _log.OfType<Takes>());
        // Round 1's ride, heard over, no longer holds the journey to its set-off, which came before round 2's close.
        Assert.Equal(new TimerAt(close2), _log[_log.IndexOf(new Fires(BookingKey, close2)) - 1]);
        Assert.Equal(new TimerAt(close3), _log[^1]);
        Assert.Equal(close3, _status!.Next);
    }
}
