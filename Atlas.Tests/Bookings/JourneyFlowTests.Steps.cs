using Atlas.Functions.Lifecycles;
using static Atlas.Functions.Bookings.BookingJourney;

namespace Atlas.Tests.Bookings;

// The Stripe calls it makes: once each however often their news comes, in order, parked and made again when a round of
// retries fails.
public sealed partial class JourneyFlowTests
{
    [Fact]
    public void News_with_a_step_heard_twice_makes_the_stripe_call_once()
    {
        var capture = StepOf("payment.capture", 4, 0);
        var news = Escrow(Ride1, 4, null, capture);
        Hears(news, news);
        _answers.Enqueue(Task.FromResult<FlowFact?>(null));

        var flow = FollowAsync(_context.Object, Assigned(Ride1));

        Rests(flow);
        Assert.Equal<object>([Wait, new Takes(capture.EffectId), Wait, Wait], _log);
    }

    [Fact]
    public void Steps_are_made_in_the_order_asked_with_the_declared_retry_before_the_journey_waits_again()
    {
        var cancelOrphan = StepOf("payment.cancel", 3, 0);
        var authorise = StepOf("payment.authorise", 3, 1);
        Hears(Escrow(Ride1, 3, null, cancelOrphan, authorise));
        _answers.Enqueue(Task.FromResult<FlowFact?>(null));
        _answers.Enqueue(Task.FromResult<FlowFact?>(Escrow(Ride1, 5, Now.AddDays(6))));

        var flow = FollowAsync(_context.Object, Assigned(Ride1));

        Rests(flow);
        Assert.Equal<object>(
            [Wait, new Takes(cancelOrphan.EffectId), new Takes(authorise.EffectId), Wait, new TimerAt(Now.AddDays(6))],
            _log);
        Assert.All(_stepOptions, o => Assert.Equal(
            (3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)),
            (o!.Retry!.Policy!.MaxNumberOfAttempts, o.Retry.Policy.FirstRetryInterval, o.Retry.Policy.MaxRetryInterval)));
    }

    [Fact]
    public void A_step_whose_retries_all_failed_parks_for_the_declared_time_then_is_made_again()
    {
        var capture = StepOf("payment.capture", 4, 0);
        Hears(Escrow(Ride1, 4, null, capture));
        _answers.Enqueue(Task.FromException<FlowFact?>(Failed(FlowActivities.TakeStep)));
        _answers.Enqueue(Task.FromResult<FlowFact?>(Escrow(Ride1, 6, null, over: true)));

        var flow = FollowAsync(_context.Object, Assigned(Ride1));

        Rests(flow);
        Assert.Equal<object>(
            [Wait, new Takes(capture.EffectId), new TimerAt(Now + Retry.Park), new Takes(capture.EffectId), Wait],
            _log);
        Assert.True(_status!.Heard![Escrow1Key].Over);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_journey_begun_after_its_instance_was_over_makes_its_step_and_ends_without_waiting_for_news(bool awaitsOthers)
    {
        // A refund after the capture; and the same begun by an instance that awaits others, which only the journey
        // that followed it to its end would hear of.
        var refund = StepOf("payment.refund", 8, 0);
        var fact = Escrow(Ride1, 8, null, over: true) with { Steps = [refund], AfterOver = true, Awaits = awaitsOthers ? Awaiting(Ride2) : [] };
        _answers.Enqueue(Task.FromResult<FlowFact?>(null));

        var flow = FollowAsync(_context.Object, Begin(fact, Retry));

        Assert.True(flow.IsCompletedSuccessfully, flow.Exception?.ToString() ?? "The journey is still waiting.");
        Assert.Equal<object>([new Takes(refund.EffectId)], _log);
    }
}
