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
/// script: news already come (its timer, raced against it, never comes), or no news (the timer comes first, the
/// orchestration's clock moves to it, and the wait is kept for the next turn); past the script the journey rests, its
/// timer and news both pending. What it did
/// (waits, timers, firings, Stripe steps) is logged in order.
/// </summary>
public sealed partial class JourneyFlowTests
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
    private bool _decided;
    private TaskCompletionSource<FlowFact>? _pending;
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

    /// <summary>A new wait for news (the journey keeps one across turns until news comes).</summary>
    private Task<FlowFact> NextNews()
    {
        _pending = new TaskCompletionSource<FlowFact>();
        Decide();
        return _pending.Task;
    }

    /// <summary>The next wait's outcome, from the script: news comes (now), or the timer does, or past the script
    /// nothing does.</summary>
    private void Decide()
    {
        _log.Add(Wait);
        _decided = true;
        if (!_script.TryDequeue(out var news))
        {
            _timerComes = false;
            return;
        }

        _timerComes = news is null;
        if (news is not null)
        {
            _pending!.SetResult(news);
        }
    }

    /// <summary>A timer raced against news comes as the wait's script says; one that cannot be cancelled (a step's
    /// park) always comes. A timer that comes moves the orchestration's clock to it, and the wait it beat is kept for
    /// the next turn, whose outcome the script says then.</summary>
    private Task Timer(DateTime at, CancellationToken token)
    {
        if (token.CanBeCanceled && !_decided)
        {
            Decide();
        }

        var when = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        _log.Add(new TimerAt(when));
        _timers.Add((when, token));
        if (token.CanBeCanceled && !_timerComes)
        {
            return new TaskCompletionSource().Task;
        }

        _decided = !token.CanBeCanceled && _decided;
        _now = at > _now ? at : _now;
        return Task.CompletedTask;
    }

    /// <summary>While the journey is busy (a firing, a call) news the script has next arrives into the wait it kept, as
    /// the engine buffers an event for the orchestration's next episode.</summary>
    private void NewsMeanwhile()
    {
        if (_pending is { Task.IsCompleted: false } && !_decided && _script.TryPeek(out var next) && next is not null)
        {
            Decide();
        }
    }

    private Task<Fired> Fire(Due due, TaskOptions? options)
    {
        _log.Add(new Fires(FlowFact.KeyOf(due.Lifecycle, due.Id), due.Deadline));
        NewsMeanwhile();
        _dues.Add(due);
        _fireOptions.Add(options);
        return _firings.TryDequeue(out var fired) ? fired : throw new InvalidOperationException($"No firing of {due} was expected.");
    }

    private Task<FlowFact?> Take(EffectEnvelope step, TaskOptions? options)
    {
        _log.Add(new Takes(step.EffectId));
        NewsMeanwhile();
        _stepOptions.Add(options);
        return _answers.TryDequeue(out var answer) ? answer : throw new InvalidOperationException($"No step {step.EffectId} was expected.");
    }

    private sealed record Waits;

    private sealed record TimerAt(DateTimeOffset At);

    private sealed record Fires(string Key, DateTimeOffset Deadline);

    private sealed record Takes(string EffectId);
}
