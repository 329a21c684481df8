using Atlas.Core.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Bookings;

/// <summary>
/// A booking's journey as one Durable orchestration, <c>journey-{booking}</c>, from the booking's opening to the ride's
/// money settled: it keeps every timer of the booking, its rides and their escrows (the scheduled opening, the sealed
/// window's close and its one extension, the set-off, the rider's wait and the start code's expiry, the 3-D Secure
/// window, the hold's renewal before Stripe's <c>capture_before</c>) and makes every Stripe call of the payment saga
/// (authorise, renew, capture or cancel) as an activity. The deciders in Atlas.Core make each rule of the process (the
/// award and the next bid when the winner is busy, three rounds at most; the ride's end; what the payment does next);
/// HTTP commands answer at once on their state, and what moves a timer or asks for a call reaches this flow as a fact
/// (docs/lifecycles.md, "A booking's journey").
/// </summary>
public static class BookingJourney
{
    /// <summary>An orchestrator's name carries its version (docs/lifecycles.md, "Rules"). V2 keeps its timer while the
    /// next deadline stays where it was.</summary>
    public const string Name = "BookingJourneyV2";

    public const string InstancePrefix = "journey-";

    /// <summary>Turns (news heard, a deadline fired, a step taken) an execution takes before it continues as new, so
    /// its history stays short however long the journey.</summary>
    public const int TurnsPerExecution = 40;

    /// <summary>How long a deadline whose firing spent its retries waits before it is tried again: never given up.</summary>
    public static readonly TimeSpan Park = TimeSpan.FromMinutes(5);

    private static readonly TaskOptions Firing = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <param name="Fact">The news that started the journey (the runtime's <see cref="FlowStart"/>).</param>
    /// <param name="Progress">Where an execution that continued as new left off.</param>
    /// <param name="Settings">The Stripe steps' retry when the journey began (<see cref="FlowStart.Settings"/>); none for a
    /// journey started without (it retries as <see cref="StepRetry.Before"/>).</param>
    public sealed record Input(FlowFact? Fact, Progress? Progress = null, StepRetry? Settings = null);

    /// <param name="Steps">The payment's calls heard of and not yet made, in the order their commits asked for them.</param>
    /// <param name="Taken">The steps made, by id: news heard twice never makes a call twice.</param>
    /// <param name="Retry">The steps' declared retry when the journey began (Stripe:Step…), kept so every replay retries alike.</param>
    /// <param name="AfterOver">This flow makes a call asked for after its instance was over (a refund, a tip): it ends
    /// once that is made.</param>
    public sealed record Progress(Journey Journey, IReadOnlyList<EffectEnvelope> Steps, IReadOnlyList<string> Taken, StepRetry Retry, bool AfterOver);

    /// <summary>The journey a booking, or a ride or escrow of it (<c>rd_{booking's}-{round}</c>), belongs to.</summary>
    public static string InstanceId(string lifecycleId)
    {
        var tail = lifecycleId[(lifecycleId.IndexOf('_', StringComparison.Ordinal) + 1)..];
        return InstancePrefix + (lifecycleId.StartsWith("rd_", StringComparison.Ordinal) ? tail[..tail.LastIndexOf('-')] : tail);
    }

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) => FollowAsync(context, ProgressOf(context));

    private static Progress ProgressOf(TaskOrchestrationContext context)
    {
        var input = context.GetInput<Input>() ?? throw new InvalidOperationException("A journey needs the news that began it.");
        return input.Progress ?? Begin(
            input.Fact ?? throw new InvalidOperationException("A journey needs the news that began it."), input.Settings ?? StepRetry.Before);
    }

    /// <summary>What a journey keeps from the settings when it starts: its Stripe steps' retry.</summary>
    public static StepRetry Settings(IServiceProvider services) => StepRetry.From(services.GetRequiredService<IOptions<StripeOptions>>().Value);

    public static Progress Begin(FlowFact fact, StepRetry retry) => Hear(new Progress(Journey.Empty, [], [], retry, fact.AfterOver), fact);

    /// <summary>Until every lifecycle it follows is over: make the payment's next call, else wait for the next deadline
    /// or for news, whichever comes first.</summary>
    public static async Task FollowAsync(TaskOrchestrationContext context, Progress progress)
    {
        if (!progress.AfterOver && !progress.Journey.Watches.Any(w => w.Key.StartsWith(BookingDecider.Name + "|", StringComparison.Ordinal)))
        {
            // Begun by a ride's or an escrow's news (again after a failure, or overtaking the booking's): learn the rest.
            var gathered = await context.CallActivityAsync<IReadOnlyList<FlowFact>>(
                JourneyGathering.Activity, JourneyGathering.BookingOf(context.InstanceId), Firing);
            progress = gathered.Aggregate(progress, Hear);
        }

        // One wait for news at a time, kept across turns: a wait that was given up (cancelled) could swallow the event
        // it was waiting for, so a wait a timer beat stays for the next turn. The timer is kept too while the next
        // deadline stays where it was: a timer, even cancelled, is a message the engine keeps until it falls due.
        Task<FlowFact>? news = null;
        Wake? wake = null;
        for (var turn = 0; !IsDone(progress); turn++)
        {
            if (turn == TurnsPerExecution)
            {
                // News the kept wait already took is heard now; news not yet taken is carried into the new execution.
                progress = news is { IsCompletedSuccessfully: true } taken ? Hear(progress, taken.Result) : progress;
                context.ContinueAsNew(new Input(null, progress));
                return;
            }

            if (progress.Steps.Count > 0)
            {
                progress = await MakeCallAsync(context, progress);
                continue;
            }

            context.SetCustomStatus(StatusOf(progress, busy: false));
            news ??= context.WaitForExternalEvent<FlowFact>(FlowFact.Event);
            wake = Wake.For(context, wake, progress.Journey.Next);
            if (wake is not null && await Task.WhenAny(news, wake.Timer) != news)
            {
                progress = await FireAsync(context, progress, wake.Next);
                wake = null;
                continue;
            }

            progress = Hear(progress, await news);
            news = null;
        }

        wake?.Cancel();
        context.SetCustomStatus(StatusOf(progress, busy: false));
    }

    private static bool IsDone(Progress progress) => progress.Steps.Count == 0 && (progress.AfterOver || progress.Journey.IsOver);

    /// <summary>The timer of the deadline the journey waits on next.</summary>
    private sealed record Wake(JourneyWake Next, Task Timer, CancellationTokenSource Cancellation)
    {
        /// <summary>The timer for <paramref name="next"/>: the one running if it falls due then, else a new one (the
        /// old one cancelled), or none when nothing is due.</summary>
        public static Wake? For(TaskOrchestrationContext context, Wake? running, JourneyWake? next)
        {
            if (running is not null && running.Next.At == next?.At)
            {
                return running with { Next = next };
            }

            running?.Cancel();
            if (next is null)
            {
                return null;
            }

            var cancellation = new CancellationTokenSource();
            return new Wake(next, context.CreateTimer(next.At.UtcDateTime, cancellation.Token), cancellation);
        }

        public void Cancel()
        {
            // Synchronously: CancelAsync could resume the orchestrator off its own thread.
            Cancellation.Cancel();
            Cancellation.Dispose();
        }
    }

    /// <summary>The deadline's timeout, sent to its decider by an activity; the instance as it then stands is what the
    /// journey knows of it next.</summary>
    private static async Task<Progress> FireAsync(TaskOrchestrationContext context, Progress progress, JourneyWake next)
    {
        context.SetCustomStatus(StatusOf(progress, busy: true));
        var (lifecycle, id) = FlowFact.Parse(next.Key);
        var due = new FlowActivities.Due(lifecycle, id, next.Deadline, progress.Journey.Watches[next.Key].Trace);
        try
        {
            var fired = await context.CallActivityAsync<FlowActivities.Fired>(FlowActivities.FireDeadline, due, Firing);
            if (fired is { Fact: null, Early.Ticks: <= 0 })
            {
                // The instance is gone (erased): nothing waits on it.
                var gone = progress.Journey.Watches[next.Key];
                return progress with { Journey = progress.Journey.Heard(next.Key, gone with { Version = gone.Version + 1, Over = true }) };
            }

            if (fired.Fact is null)
            {
                // The timer came before the app's clock reached the deadline (clocks apart): look again when it will have.
                return progress with { Journey = progress.Journey.WakeLater(next.Key, context.CurrentUtcDateTime + fired.Early) };
            }

            var heard = Hear(progress, fired.Fact);
            if (heard.Journey.Watches[next.Key] is { Over: false } after && after.Deadline == next.Deadline)
            {
                // The decider keeps the deadline it was just sent while an answer is awaited (an escrow renewing its
                // hold): look again later rather than spin; the answer's news moves it sooner.
                context.CreateReplaySafeLogger(nameof(BookingJourney)).LogInformation(
                    "Deadline {Deadline:O} of {Key} still pending after it fired; looking again in {Park}", next.Deadline, next.Key, Park);
                return heard with { Journey = heard.Journey.WakeLater(next.Key, context.CurrentUtcDateTime + Park) };
            }

            return heard;
        }
        catch (TaskFailedException e)
        {
            // Its retries spent (storage down for minutes): a deadline is never given up.
            context.CreateReplaySafeLogger(nameof(BookingJourney)).LogError(
                "Deadline {Deadline:O} of {Key} did not fire ({Error}); trying again in {Park}", next.Deadline, next.Key, e.FailureDetails.ErrorMessage, Park);
            return progress with { Journey = progress.Journey.WakeLater(next.Key, context.CurrentUtcDateTime + Park) };
        }
    }

    /// <summary>The payment's next call (authorise, capture, cancel, refund, tip) as an activity keyed by its step's id,
    /// which is also Stripe's Idempotency-Key: a retried or replayed call never charges twice. Retried as declared; a round
    /// that fails waits <see cref="StepRetry.Park"/> and tries again: a step is never given up.</summary>
    private static async Task<Progress> MakeCallAsync(TaskOrchestrationContext context, Progress progress)
    {
        context.SetCustomStatus(StatusOf(progress, busy: true));
        var step = progress.Steps[0];
        try
        {
            var after = await context.CallActivityAsync<FlowFact?>(FlowActivities.TakeStep, step, progress.Retry.ToTaskOptions());
            var made = progress with { Steps = [.. progress.Steps.Skip(1)], Taken = [.. progress.Taken, step.EffectId] };
            return after is null ? made : Hear(made, after);
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(BookingJourney)).LogError(
                "Stripe step {EffectId} failed a round of retries ({Error}); trying again in {Park}", step.EffectId, e.FailureDetails.ErrorMessage, progress.Retry.Park);
            await context.CreateTimer(context.CurrentUtcDateTime + progress.Retry.Park, CancellationToken.None);
            return progress;
        }
    }

    /// <summary>News of an instance: newer than what the journey knew replaces it; its steps join the queue once.</summary>
    private static Progress Hear(Progress progress, FlowFact fact) => progress with
    {
        Journey = progress.Journey.Heard(fact.Key, new JourneyWatch(fact.Version, fact.Deadline, fact.Over, fact.Awaits ?? [], Trace: fact.Trace)),
        Steps = [.. progress.Steps, .. fact.Steps.Where(s => !progress.Taken.Contains(s.EffectId) && progress.Steps.All(p => p.EffectId != s.EffectId))],
    };

    /// <summary>The flow's custom status: whether it is firing a deadline or making a call, and what it knows.</summary>
    private static FlowStatus StatusOf(Progress progress, bool busy) => new(
        busy || progress.Steps.Count > 0,
        progress.Journey.Next?.At,
        progress.Journey.Watches.ToDictionary(w => w.Key, w => new HeardView(w.Value.Version, w.Value.Deadline, w.Value.Over, w.Value.WakeAt)));
}
