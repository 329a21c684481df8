using System.Reflection;
using Atlas.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Every few minutes (<c>Flows:WatchSchedule</c>), counts per orchestrator the orchestrations that failed in the last
/// hour and those stuck — for the alerts (docs/runbook.md). Stuck: pending (never started) for longer than
/// <c>Flows:StuckAfter</c>; a flow that follows lifecycles (its <see cref="FlowStatus"/>) still waiting that long after
/// its next timer was due, or busy with a call or a firing that long; any other flow running with no step recorded for
/// that long. A flow waiting on a future deadline or on news is not stuck, and a Stripe call going round its retries
/// records each round, so it is not either (its rounds are logged as errors). The instance list is read with custom
/// statuses, never a history.
/// </summary>
public static class FlowWatch
{
    public static readonly TimeSpan FailedWithin = TimeSpan.FromHours(1);

    // Enough to start looking; the counts say how many there are.
    private const int LoggedPerRun = 10;

    private static readonly string[] Orchestrators = typeof(FlowWatch).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
        .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Function("WatchFlows")]
    public static async Task WatchAsync(
        [TimerTrigger("%Flows:WatchSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        AtlasMetrics metrics,
        IOptions<FlowOptions> options,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var logger = loggers.CreateLogger(typeof(FlowWatch));
        var failed = await CountAsync(durable, [OrchestrationRuntimeStatus.Failed], f => f.LastUpdatedAt >= now - FailedWithin, "failed", logger, ct);
        var stuck = await CountAsync(
            durable, [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running], f => IsStuck(f, now, options.Value.StuckAfter), "stuck", logger, ct);
        foreach (var name in Orchestrators.Union(failed.Keys).Union(stuck.Keys))
        {
            metrics.Flows(name, failed.GetValueOrDefault(name), stuck.GetValueOrDefault(name));
        }
    }

    public static bool IsStuck(OrchestrationMetadata flow, DateTimeOffset now, TimeSpan stuckAfter) => (flow, FlowStatus.Read(flow.SerializedCustomStatus)) switch
    {
        ({ RuntimeStatus: OrchestrationRuntimeStatus.Pending }, _) => flow.LastUpdatedAt < now - stuckAfter,
        (_, { Busy: true }) => flow.LastUpdatedAt < now - stuckAfter,
        (_, { Next: { } next }) => next < now - stuckAfter,
        (_, { }) => false,
        _ => flow.LastUpdatedAt < now - stuckAfter,
    };

    private static async Task<Dictionary<string, long>> CountAsync(
        DurableTaskClient durable, OrchestrationRuntimeStatus[] statuses, Func<OrchestrationMetadata, bool> counts, string what, ILogger logger, CancellationToken ct)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        var query = new OrchestrationQuery { Statuses = statuses, PageSize = 1000, FetchInputsAndOutputs = true };
        await foreach (var flow in durable.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (!counts(flow))
            {
                continue;
            }

            found[flow.Name] = found.GetValueOrDefault(flow.Name) + 1;
            if (found.Values.Sum() <= LoggedPerRun)
            {
                logger.LogWarning("Orchestration {InstanceId} ({Name}) is {What}: {Status}, last updated {LastUpdatedAt:O}", flow.InstanceId, flow.Name, what, flow.RuntimeStatus, flow.LastUpdatedAt);
            }
        }

        return found;
    }
}
