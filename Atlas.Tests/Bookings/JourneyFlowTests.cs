using System.Text.Json;
using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static Atlas.Functions.Bookings.BookingJourney;
using Due = Atlas.Functions.Lifecycles.FlowActivities.Due;
using Fired = Atlas.Functions.Lifecycles.FlowActivities.Fired;

namespace Atlas.Tests.Bookings;

/// <summary>
/// The booking's journey orchestrator, driven by a mocked orchestration context. Each wait takes the next item of a
/// script: news already come (its timer, raced against it, never comes), or no news (the timer comes first, and the
/// orchestration's clock moves to it); past the script the journey rests, its timer and news both pending. What it did
/// (waits, timers, firings, Stripe steps) is logged in order.
/// </summary>
public sealed class JourneyFlowTests
{
    private const string BookingId = "bk_x";
    private const string Ride1 = "rd_x-1";
    private const string Ride2 = "rd_x-2";

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly StepRetry Retry = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(7));
    private static readonly Waits Wait = new();
    private static readonly string BookingKey = FlowFact.KeyOf(BookingDecider.Name, BookingId);
    private static readonly string Ride1Key = FlowFact.KeyOf(RideDecider.Name, Ride1);
    private static readonly string Escrow1Key = FlowFact.KeyOf(EscrowDecider.Name, Ride1);

    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);
    private readonly Queue<FlowFact?> _script = new();
    private readonly Queue<Task<Fired>> _firings = new();
    private readonly Queue<Task<FlowFact?>> _answers = new();
    private readonly List<object> _log = [];
    private readonly List<(DateTimeOffset At, CancellationToken Token)> _timers = [];
    private readonly List<Due> _dues = [];
    private readonly List<TaskOptions?> _fireOptions = [];
    private readonly List<TaskOptions?> _stepOptions = [];
    private readonly List<(object? Input, bool Preserve)> _continued = [];
    private DateTime _now = Now.UtcDateTime;
    private bool _timerComes;
    private FlowStatus? _status;

    public JourneyFlowTests()
    {
        _context.Setup(c => c.CurrentUtcDateTime).Returns(() => _now);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(s => _status = (FlowStatus?)s);
        _context.Setup(c => c.WaitForExternalEvent<FlowFact>(FlowFact.Event, It.IsAny<CancellationToken>())).Returns(NextNews);
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns<DateTime, CancellationToken>(Timer);
        _context.Setup(c => c.CallActivityAsync<Fired>(FlowActivities.FireDeadline, It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, due, options) => Fire((Due)due!, options));
        _context.Setup(c => c.CallActivityAsync<FlowFact?>(FlowActivities.TakeStep, It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, step, options) => Take((EffectEnvelope)step!, options));
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()))
            .Callback<object?, bool>((input, preserve) => _continued.Add((input, preserve)));
    }

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
    public void News_older_than_or_as_old_as_what_the_journey_knows_is_ignored()
    {
        // A version before, and one alike that says something else: neither moves the deadline nor ends the journey.
        Hears(Booking(2, Now.AddMinutes(1)), Booking(3, null, over: true));

        var flow = FollowAsync(_context.Object, Knowing(Booking(3, Now.AddMinutes(7))));

        Rests(flow);
        var timer = new TimerAt(Now.AddMinutes(7));
        Assert.Equal<object>([Wait, timer, Wait, timer, Wait, timer], _log);
        Assert.Equal(3, _status!.Heard![BookingKey].Version);
    }

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
            [Wait, new TimerAt(closes), new Fires(BookingKey, closes), Wait, new TimerAt(closes.AddSeconds(2)), new Fires(BookingKey, closes), Wait],
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
            [Wait, new TimerAt(closes), new Fires(BookingKey, closes), Wait, new TimerAt(closes + Park), new Fires(BookingKey, closes), Wait],
            _log);
        Assert.Equal(TimeSpan.FromMinutes(5), Park);
    }

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

    private static void Rests(Task flow) =>
        Assert.False(flow.IsCompleted, flow.Exception?.ToString() ?? "The journey ended.");

    private static Progress Knowing(params FlowFact[] facts) => new(
        facts.Aggregate(Journey.Empty, (j, f) => j.Heard(f.Key, new JourneyWatch(f.Version, f.Deadline, f.Over, f.Awaits ?? [], Trace: f.Trace))),
        [],
        [],
        Retry,
        AfterOver: false);

    /// <summary>The booking with ride 1 assigned, the ride under way and its escrow authorising: no timer to wait on.</summary>
    private static Progress Assigned(string rideId) =>
        Knowing(Booking(5, null, awaits: Awaiting(rideId)), Ride(rideId, 3, null), Escrow(rideId, 2, null));

    private static FlowFact Booking(long version, DateTimeOffset? deadline, bool over = false, string[]? awaits = null) =>
        new(BookingDecider.Name, BookingId, version, deadline, over, [], awaits ?? []);

    private static FlowFact Ride(string id, long version, DateTimeOffset? deadline, bool over = false) =>
        new(RideDecider.Name, id, version, deadline, over, []);

    private static FlowFact Escrow(string rideId, long version, DateTimeOffset? deadline, params EffectEnvelope[] steps) =>
        new(EscrowDecider.Name, rideId, version, deadline, Over: false, steps);

    private static FlowFact Escrow(string rideId, long version, DateTimeOffset? deadline, bool over) =>
        new(EscrowDecider.Name, rideId, version, deadline, over, []);

    private static string[] Awaiting(string rideId) => [FlowFact.KeyOf(RideDecider.Name, rideId), FlowFact.KeyOf(EscrowDecider.Name, rideId)];

    private static EffectEnvelope StepOf(string kind, long version, int index) => new(
        LifecycleKeys.EffectId(EscrowDecider.Name, Ride1, version, index),
        kind,
        EscrowDecider.Name,
        Ride1,
        JsonSerializer.SerializeToElement(new { intentId = "pi_1", amount = 1200 }));

    private static Task<Fired> Answer(FlowFact fact) => Task.FromResult(new Fired(fact, TimeSpan.Zero));

    private static TaskFailedException Failed(string activity) =>
        new(activity, 3, new TaskFailureDetails("RequestFailedException", "storage down", null, null, null));

    private void Hears(params FlowFact[] facts)
    {
        foreach (var fact in facts)
        {
            _script.Enqueue(fact);
        }
    }

    private void TimerComes() => _script.Enqueue(null);

    private Task<FlowFact> NextNews()
    {
        _log.Add(Wait);
        if (!_script.TryDequeue(out var news))
        {
            _timerComes = false;
            return new TaskCompletionSource<FlowFact>().Task;
        }

        _timerComes = news is null;
        return news is null ? new TaskCompletionSource<FlowFact>().Task : Task.FromResult(news);
    }

    /// <summary>A timer raced against news comes as the wait's script says; one that cannot be cancelled (a step's
    /// park) always comes. A timer that comes moves the orchestration's clock to it.</summary>
    private Task Timer(DateTime at, CancellationToken token)
    {
        var when = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        _log.Add(new TimerAt(when));
        _timers.Add((when, token));
        if (token.CanBeCanceled && !_timerComes)
        {
            return new TaskCompletionSource().Task;
        }

        _now = at > _now ? at : _now;
        return Task.CompletedTask;
    }

    private Task<Fired> Fire(Due due, TaskOptions? options)
    {
        _log.Add(new Fires(FlowFact.KeyOf(due.Lifecycle, due.Id), due.Deadline));
        _dues.Add(due);
        _fireOptions.Add(options);
        return _firings.TryDequeue(out var fired) ? fired : throw new InvalidOperationException($"No firing of {due} was expected.");
    }

    private Task<FlowFact?> Take(EffectEnvelope step, TaskOptions? options)
    {
        _log.Add(new Takes(step.EffectId));
        _stepOptions.Add(options);
        return _answers.TryDequeue(out var answer) ? answer : throw new InvalidOperationException($"No step {step.EffectId} was expected.");
    }

    private sealed record Waits;

    private sealed record TimerAt(DateTimeOffset At);

    private sealed record Fires(string Key, DateTimeOffset Deadline);

    private sealed record Takes(string EffectId);
}
