using System.Globalization;
using System.Text.Json;
using Atlas.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// A lifecycle's deadline as a Durable orchestration: a commit that sets a deadline writes an arm entry into its
/// outbox (atomically with the state), the relay puts it on the deadlines queue, and <see cref="ArmAsync"/> starts
/// <c>deadline-{type}-{id}-{ticks}</c>, which holds a durable timer until the deadline and then sends the decider its
/// timeout through an activity. A deadline that a later command made stale still fires; the decider ignores a
/// timeout that is not its state's deadline, so no command has to wake, cancel or even know of an orchestration.
/// </summary>
public static class DeadlineFlow
{
    /// <summary>An orchestrator's name carries its version (docs/lifecycles.md, "Rules").</summary>
    public const string Name = "DeadlineV1";

    /// <summary>What a flow in <see cref="TimerMode.Manual"/> waits for instead of its timer.</summary>
    public const string WakeEvent = "wake";

    public const string Kind = "lifecycle.deadline";

    public const string Queue = "deadlines";

    public const string InstancePrefix = "deadline-";

    public const string ArmFunction = "Deadlines";

    /// <summary>How long a flow whose activity spent its retries waits before it tries again.</summary>
    public static readonly TimeSpan Park = TimeSpan.FromMinutes(5);

    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <param name="Manual">Whether the flow waits for a <see cref="WakeEvent"/> rather than a durable timer: captured
    /// from <c>Lifecycles:Timers</c> when it is armed, so a replay takes the same path.</param>
    /// <param name="RetryAt">When to try again after a failed try (see <see cref="Park"/>).</param>
    /// <param name="Trace">The traceparent of the command that set the deadline: its firing continues that trace.</param>
    public sealed record Input(string Lifecycle, string Id, DateTimeOffset Deadline, bool Manual, DateTimeOffset? RetryAt = null, string? Trace = null);

    private sealed record Arming(DateTimeOffset Deadline);

    public static string InstanceId(string lifecycle, string id, DateTimeOffset deadline) =>
        string.Create(CultureInfo.InvariantCulture, $"{InstancePrefix}{lifecycle}-{id}-{deadline.UtcTicks:D19}");

    /// <summary>The deadline a flow's instance id names.</summary>
    public static DateTimeOffset DeadlineOf(string instanceId) =>
        new(long.Parse(instanceId.AsSpan(instanceId.Length - 19), CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>The outbox entry that arms <paramref name="deadline"/>, beside the effects of the same transition.</summary>
    public static OutboxEntry Arm(string lifecycle, string id, long version, int index, DateTimeOffset deadline) => new(
        lifecycle,
        id,
        LifecycleKeys.OutboxRow(version, index),
        new EffectEnvelope(
            LifecycleKeys.EffectId(lifecycle, id, version, index),
            Kind,
            lifecycle,
            id,
            JsonSerializer.SerializeToElement(new Arming(deadline), LifecycleJson.Options),
            AtlasTelemetry.Current),
        Queue);

    /// <summary>The deadline an arm entry carries.</summary>
    public static DateTimeOffset DeadlineIn(EffectEnvelope envelope) =>
        envelope.Payload.Deserialize<Arming>(LifecycleJson.Options)?.Deadline
            ?? throw new InvalidOperationException($"Arm entry {envelope.EffectId} carries no deadline.");

    [Function(ArmFunction)]
    public static async Task ArmAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + Queue)] string message,
        [DurableClient] DurableTaskClient durable,
        IOptions<LifecycleOptions> options,
        CancellationToken ct)
    {
        var envelope = JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)
            ?? throw new InvalidOperationException("A deadline message is empty.");
        var deadline = DeadlineIn(envelope);
        var input = new Input(envelope.Lifecycle, envelope.InstanceId, deadline, options.Value.Timers == TimerMode.Manual, Trace: envelope.Trace);
        // False for a redelivered message: this deadline is armed already.
        await durable.StartOnceAsync(Name, input, InstanceId(input.Lifecycle, input.Id, deadline), ct);
    }

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WaitAndFireAsync(context, context.GetInput<Input>() ?? throw new InvalidOperationException("A deadline flow needs its deadline."));

    /// <summary>One wait and one try: a deadline that fired too early, or whose activity spent its retries, starts over
    /// as a new execution (so the history stays a few events long however often that happens).</summary>
    public static async Task WaitAndFireAsync(TaskOrchestrationContext context, Input input)
    {
        if (input.Manual)
        {
            await context.WaitForExternalEvent<object?>(WakeEvent);
        }
        else
        {
            await context.CreateTimer((input.RetryAt ?? input.Deadline).UtcDateTime, CancellationToken.None);
        }

        try
        {
            if (!await context.CallActivityAsync<bool>(nameof(FireDeadlineAsync), input, Retried))
            {
                // Early by more than the activity waits out (the engine's clock and the app's apart): wait again.
                context.ContinueAsNew(input with { RetryAt = null });
            }
        }
        catch (TaskFailedException e)
        {
            // Its retries spent (storage down for minutes): a deadline is never given up.
            context.CreateReplaySafeLogger(nameof(DeadlineFlow)).LogError(
                "Deadline {Deadline:O} of {Lifecycle} {Id} did not fire ({Error}); trying again in {Park}",
                input.Deadline, input.Lifecycle, input.Id, e.FailureDetails.ErrorMessage, Park);
            context.ContinueAsNew(input with { RetryAt = context.CurrentUtcDateTime + Park });
        }
    }

    /// <summary>Sends the deadline's timeout; false if it is not due yet.</summary>
    [Function(nameof(FireDeadlineAsync))]
    public static Task<bool> FireDeadlineAsync([ActivityTrigger] Input input, DeadlineFiring firing, CancellationToken ct) =>
        firing.FireAsync(input.Lifecycle, input.Id, input.Deadline, input.Trace, ct);
}
