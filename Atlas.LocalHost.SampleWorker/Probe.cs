using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace SampleWorker;

/// <summary>What a probe waits for before its activity runs: a durable timer, an external event, both or neither.</summary>
public sealed record ProbeRequest(DateTime? WakeAt, bool WaitForEvent);

/// <summary>When the activity ran, and what the event carried (the raiser's clock when it raised it).</summary>
public sealed record ProbeResult(DateTime ActivityRanAt, DateTime? EventRaisedAt);

/// <summary>
/// The benchmark's orchestration (./atlas bench --only durable): the smallest thing that waits on time or on someone
/// and then does one piece of work, so its timings are the engine's: deadline or event → activity running.
/// </summary>
public static class Probe
{
    public const string GoEvent = "Go";

    [Function(nameof(Probe))]
    public static async Task<ProbeResult> Run(
        [OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var request = context.GetInput<ProbeRequest>() ?? new ProbeRequest(null, false);
        if (request.WakeAt is { } wakeAt)
        {
            await context.CreateTimer(wakeAt, CancellationToken.None);
        }

        DateTime? raisedAt = request.WaitForEvent ? await context.WaitForExternalEvent<DateTime>(GoEvent) : null;
        var ranAt = await context.CallActivityAsync<DateTime>(nameof(Stamp));
        return new ProbeResult(ranAt, raisedAt);
    }

    /// <summary>The activity's own clock: activities run once per completion, never replayed.</summary>
    [Function(nameof(Stamp))]
    public static DateTime Stamp(
        [ActivityTrigger] string? unused) => DateTime.UtcNow;
}
