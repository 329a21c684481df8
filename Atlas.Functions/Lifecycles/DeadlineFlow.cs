using System.Globalization;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Draining: how a lifecycle's deadline fired before the flows that follow lifecycles kept their timers
/// (<c>DeadlineV1</c>, one orchestration per deadline, started by the <c>deadlines</c> queue's function). Nothing arms one
/// now; a deployment keeps the orchestrator, its activity and the queue function registered until no instance of it runs
/// and the queue is empty, then the next deletes them (docs/lifecycles.md, "Draining the flows of before").
/// </summary>
public static class DeadlineFlow
{
    public const string Name = "DeadlineV1";

    public const string Queue = "deadlines";

    public const string InstancePrefix = "deadline-";

    public const string ArmFunction = "Deadlines";

    /// <summary>How long a flow whose activity spent its retries waits before it tries again.</summary>
    public static readonly TimeSpan Park = TimeSpan.FromMinutes(5);

    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <param name="RetryAt">When to try again after a failed try (see <see cref="Park"/>).</param>
    /// <param name="Trace">The traceparent of the command that set the deadline.</param>
    public sealed record Input(string Lifecycle, string Id, DateTimeOffset Deadline, DateTimeOffset? RetryAt = null, string? Trace = null);

    private sealed record Arming(DateTimeOffset Deadline);

    public static string InstanceId(string lifecycle, string id, DateTimeOffset deadline) =>
        string.Create(CultureInfo.InvariantCulture, $"{InstancePrefix}{lifecycle}-{id}-{deadline.UtcTicks:D19}");

    /// <summary>The deadline a flow's instance id names.</summary>
    public static DateTimeOffset DeadlineOf(string instanceId) =>
        new(long.Parse(instanceId.AsSpan(instanceId.Length - 19), CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>What an arm entry of before asked for, as its queue message carries it.</summary>
    public static EffectEnvelope ArmEntry(string lifecycle, string id, string effectId, DateTimeOffset deadline) =>
        new(effectId, "lifecycle.deadline", lifecycle, id, JsonSerializer.SerializeToElement(new Arming(deadline), LifecycleJson.Options));

    [Function(ArmFunction)]
    public static async Task ArmAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + Queue)] string message, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        var envelope = JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)
            ?? throw new InvalidOperationException("A deadline message is empty.");
        var deadline = envelope.Payload.Deserialize<Arming>(LifecycleJson.Options)?.Deadline
            ?? throw new InvalidOperationException($"Arm entry {envelope.EffectId} carries no deadline.");
        var input = new Input(envelope.Lifecycle, envelope.InstanceId, deadline, Trace: envelope.Trace);
        await durable.StartOnceAsync(Name, input, InstanceId(input.Lifecycle, input.Id, deadline), ct);
    }

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WaitAndFireAsync(context, context.GetInput<Input>() ?? throw new InvalidOperationException("A deadline flow needs its deadline."));

    public static async Task WaitAndFireAsync(TaskOrchestrationContext context, Input input)
    {
        await context.CreateTimer((input.RetryAt ?? input.Deadline).UtcDateTime, CancellationToken.None);
        try
        {
            if (!await context.CallActivityAsync<bool>(nameof(FireDeadlineAsync), input, Retried))
            {
                context.ContinueAsNew(input with { RetryAt = null });
            }
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(DeadlineFlow)).LogError(
                "Deadline {Deadline:O} of {Lifecycle} {Id} did not fire ({Error}); trying again in {Park}",
                input.Deadline, input.Lifecycle, input.Id, e.FailureDetails.ErrorMessage, Park);
            context.ContinueAsNew(input with { RetryAt = context.CurrentUtcDateTime + Park });
        }
    }

    /// <summary>Sends the deadline's timeout; false if it is not due yet.</summary>
    [Function(nameof(FireDeadlineAsync))]
    public static async Task<bool> FireDeadlineAsync([ActivityTrigger] Input input, DeadlineFiring firing, CancellationToken ct) =>
        await firing.FireAsync(input.Lifecycle, input.Id, input.Deadline, input.Trace, ct) == TimeSpan.Zero;
}
