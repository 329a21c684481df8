using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Lifecycles;

/// <summary>A due deadline's timeout, sent to its lifecycle: the body of a flow's <see cref="FlowActivities.FireDeadline"/>.</summary>
public sealed class DeadlineFiring(
    LifecycleRegistry lifecycles, AtlasMetrics metrics, IEnumerable<ILifecycleObserver> observers, TimeProvider clock, ILogger<DeadlineFiring> logger)
{
    /// <summary>The most a timer that fired early is waited out here rather than set again (the Azure Storage
    /// provider's timers fire up to a second early: queue visibility is in whole seconds).</summary>
    private static readonly TimeSpan WaitOut = TimeSpan.FromSeconds(2);

    /// <returns>Zero once fired; how far away the deadline still is if that is more than <see cref="WaitOut"/> (the
    /// caller waits again).</returns>
    /// <exception cref="InvalidOperationException">The instance stayed contended: the caller retries.</exception>
    /// <param name="trace">The traceparent of the command that set the deadline.</param>
    /// <param name="flowKnows">The flow that follows the instance is the caller and learns the outcome from it; false
    /// when something else fires it (a test's clock), and the commit's fact goes to the flow as any command's does.</param>
    public async Task<TimeSpan> FireAsync(string type, string id, DateTimeOffset deadline, string? trace, bool flowKnows, CancellationToken ct)
    {
        using var span = AtlasTelemetry.Continue($"deadline {type}", trace);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Lifecycle"] = type, ["InstanceId"] = id });
        // Until the clock says the deadline has come: the decider ignores a timeout that is early by even a tick, and a
        // timer can end a hair before the wall clock reads its due time.
        for (var early = deadline - clock.GetUtcNow(); early > TimeSpan.Zero; early = deadline - clock.GetUtcNow())
        {
            if (early > WaitOut)
            {
                return early;
            }

            await Task.Delay(early + TimeSpan.FromMilliseconds(1), clock, ct);
        }

        if (lifecycles.Find(type) is not { } lifecycle)
        {
            logger.LogError("Deadline {Deadline:O} of unknown lifecycle {Lifecycle} dropped", deadline, type);
            return TimeSpan.Zero;
        }

        var lag = clock.GetUtcNow() - deadline;
        metrics.DeadlineLag(type, lag);
        foreach (var observer in observers)
        {
            try
            {
                await observer.DeadlineFiredAsync(type, id, deadline, lag, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Observer} was not told of a deadline", observer.GetType().Name);
            }
        }

        var status = await lifecycle.TimeoutAsync(id, deadline, ct, flowKnows);
        ContendedException.ThrowIf(status, $"The timeout of {type} {id}");

        logger.LogDebug("Deadline {Deadline:O} fired: {Status}", deadline, status);
        return TimeSpan.Zero;
    }
}
