using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;
using static Atlas.Functions.Bookings.BookingJourney;
using Due = Atlas.Functions.Lifecycles.FlowActivities.Due;
using Fired = Atlas.Functions.Lifecycles.FlowActivities.Fired;

namespace Atlas.Tests.Bookings;

// The deadlines it keeps: the earliest one waited on and fired, moved by news before its timer, looked at again when it
// fired early or its firing failed, and the hold renewed days ahead.
public sealed partial class JourneyFlowTests
{
    [Fact]
    public void It_waits_on_the_earliest_deadline_and_fires_it_by_its_lifecycle_id_deadline_and_trace()
    {
        var rideFact = Ride(Ride1, 4, Now.AddMinutes(3)) with { Trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        TimerComes();
        _firings.Enqueue(Answer(Ride(Ride1, 5, Now.AddMinutes(20))));

        var flow = FollowAsync(_context.Object, Knowing(Booking(2, Now.AddMinutes(9)), rideFact));

        Rests(flow);
        Assert.Equal<object>(
            [Wait, new TimerAt(Now.AddMinutes(3)), new Fires(Ride1Key, Now.AddMinutes(3)), Wait, new TimerAt(Now.AddMinutes(9))],
            _log);
        Assert.Equal([new Due(RideDecider.Name, Ride1, Now.AddMinutes(3), rideFact.Trace)], _dues);
        Assert.True(Assert.Single(_fireOptions)!.Retry!.Policy!.MaxNumberOfAttempts > 1);
        Assert.Equal(Now.AddMinutes(9), _status!.Next);
    }

    [Fact]
    public void News_that_comes_before_the_timer_moves_the_deadline_and_the_old_timer_is_cancelled_not_fired()
    {
        Hears(Booking(3, Now.AddMinutes(7)));

        var flow = FollowAsync(_context.Object, Knowing(Booking(2, Now.AddMinutes(5))));

        Rests(flow);
        Assert.Equal<object>([Wait, new TimerAt(Now.AddMinutes(5)), Wait, new TimerAt(Now.AddMinutes(7))], _log);
        Assert.True(_timers[0].Token.IsCancellationRequested);
        Assert.False(_timers[1].Token.IsCancellationRequested);
        Assert.Empty(_dues);
    }

    [Fact]
    public void News_older_than_or_as_old_as_what_the_journey_knows_is_ignored_and_its_timer_kept()
    {
        // A version before, and one alike that says something else: neither moves the deadline nor ends the journey.
        Hears(Booking(2, Now.AddMinutes(1)), Booking(3, null, over: true));

        var flow = FollowAsync(_context.Object, Knowing(Booking(3, Now.AddMinutes(7))));

        Rests(flow);
        // One timer: while the deadline stays where it was, a new one would be one more message the engine keeps.
        Assert.Equal<object>([Wait, new TimerAt(Now.AddMinutes(7)), Wait, Wait], _log);
        Assert.False(_timers.Single().Token.IsCancellationRequested);
        Assert.Equal(3, _status!.Heard![BookingKey].Version);
    }

    [Fact]
    public void A_timer_that_came_before_the_apps_clock_reached_the_deadline_waits_as_long_as_it_was_early_then_fires_it_again()
    {
        var closes = Now.AddMinutes(5);
        TimerComes();
        TimerComes();
        _firings.Enqueue(Task.FromResult(new Fired(null, TimeSpan.FromSeconds(2))));
        _firings.Enqueue(Answer(Booking(3, null)));

        var flow = FollowAsync(_context.Object, Knowing(Booking(2, closes)));

        Rests(flow);
        Assert.Equal<object>(
            [Wait, new TimerAt(closes), new Fires(BookingKey, closes), Wait, new TimerAt(closes.AddSeconds(2)), new Fires(BookingKey, closes)],
            _log);
    }

    [Fact]
    public void A_deadline_whose_firing_spent_its_retries_is_fired_again_five_minutes_later()
    {
        var closes = Now.AddMinutes(5);
        TimerComes();
        TimerComes();
        _firings.Enqueue(Task.FromException<Fired>(Failed(FlowActivities.FireDeadline)));
        _firings.Enqueue(Answer(Booking(3, null)));

        var flow = FollowAsync(_context.Object, Knowing(Booking(2, closes)));

        Rests(flow);
        Assert.Equal<object>(
            [Wait, new TimerAt(closes), new Fires(BookingKey, closes), Wait, new TimerAt(closes + Park), new Fires(BookingKey, closes)],
            _log);
        Assert.Equal(TimeSpan.FromMinutes(5), Park);
    }

    [Fact]
    public void A_hold_due_for_renewal_days_ahead_is_fired_when_its_timer_comes_and_the_re_authorisation_it_asks_for_is_made()
    {
        var renewAt = Now.AddDays(6);
        var reauthorise = StepOf("payment.authorise", 3, 0);
        var progress = Knowing(Booking(6, null, awaits: Awaiting(Ride1)), Ride(Ride1, 5, null), Escrow(Ride1, 2, renewAt));
        TimerComes();
        // The escrow re-authorises: it waits on the same deadline until the new hold answers, and the firing's commit
        // sends its step as news of the version the firing read back.
        _firings.Enqueue(Answer(Escrow(Ride1, 3, renewAt)));
        Hears(Escrow(Ride1, 3, renewAt, reauthorise));
        _answers.Enqueue(Task.FromResult<FlowFact?>(Escrow(Ride1, 5, renewAt.AddDays(6))));

        var flow = FollowAsync(_context.Object, progress);

        Rests(flow);
        Assert.Equal<object>(
            [
                Wait, new TimerAt(renewAt), new Fires(Escrow1Key, renewAt),
                Wait, new TimerAt(renewAt + Park), new Takes(reauthorise.EffectId),
                Wait, new TimerAt(renewAt.AddDays(6)),
            ],
            _log);
        Assert.Equal([new Due(EscrowDecider.Name, Ride1, renewAt)], _dues);
        Assert.True(_timers[1].Token.IsCancellationRequested);
    }
}
