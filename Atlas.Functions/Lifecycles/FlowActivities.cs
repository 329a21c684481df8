using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// What any flow does to the lifecycles it follows, as activities: fire a deadline (the decider's timeout), take a step
/// (an outside call, its answer fed back). Each returns what the flow then knows of the instance, read from the state
/// this process just wrote, so the commits a flow makes itself need no fact sent back to it.
/// </summary>
public static class FlowActivities
{
    public const string FireDeadline = "FireFlowDeadline";

    public const string TakeStep = "TakeFlowStep";

    /// <param name="Trace">The traceparent of the command that set the deadline.</param>
    public sealed record Due(string Lifecycle, string Id, DateTimeOffset Deadline, string? Trace = null);

    /// <summary>The instance after a firing, or how early the timer was (by the app's clock) when it was not due.</summary>
    public sealed record Fired(FlowFact? Fact, TimeSpan Early);

    [Function(FireDeadline)]
    public static async Task<Fired> FireDeadlineAsync([ActivityTrigger] Due due, DeadlineFiring firing, LifecycleRegistry lifecycles, CancellationToken ct)
    {
        var early = await firing.FireAsync(due.Lifecycle, due.Id, due.Deadline, due.Trace, flowKnows: true, ct);
        return early > TimeSpan.Zero ? new Fired(null, early) : new Fired(await FactAsync(lifecycles, due.Lifecycle, due.Id, ct), TimeSpan.Zero);
    }

    [Function(TakeStep)]
    public static async Task<FlowFact?> TakeStepAsync([ActivityTrigger] EffectEnvelope step, EffectDispatcher effects, LifecycleRegistry lifecycles, CancellationToken ct)
    {
        await effects.HandleAsync(step, attempt: 1, ct, flowKnows: true);
        return await FactAsync(lifecycles, step.Lifecycle, step.InstanceId, ct);
    }

    private static Task<FlowFact?> FactAsync(LifecycleRegistry lifecycles, string lifecycle, string id, CancellationToken ct) =>
        (lifecycles.Find(lifecycle) ?? throw new InvalidOperationException($"Unknown lifecycle '{lifecycle}'.")).FactAsync(id, ct);
}
