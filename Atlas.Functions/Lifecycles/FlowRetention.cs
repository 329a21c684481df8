using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>The "Flows" section: how long a finished orchestration's history is kept, when it is purged, and when a
/// running one counts as stuck.</summary>
public sealed class FlowOptions
{
    public const string Section = "Flows";

    /// <summary>Finished orchestrations (completed, failed, terminated) created longer ago than this are purged.</summary>
    public TimeSpan RetainFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The purge timer's NCRONTAB schedule (daily at 03:30 UTC by default).</summary>
    public string PurgeSchedule { get; set; } = "0 30 3 * * *";

    /// <summary>How often <see cref="FlowWatch"/> counts failed and stuck orchestrations (every 5 minutes by default).</summary>
    public string WatchSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>How long an orchestration may go without a step (a journey: past its next timer) before it counts as stuck.</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<string> Problems()
    {
        if (RetainFor < TimeSpan.FromHours(1))
        {
            yield return "Flows:RetainFor is at least an hour: an orchestration's history is how a stuck one is diagnosed.";
        }

        if (StuckAfter < TimeSpan.FromMinutes(10))
        {
            yield return "Flows:StuckAfter is at least 10 minutes: a Stripe step or a deadline waits 5 minutes between rounds of retries.";
        }
    }
}

/// <summary>
/// Durable keeps every orchestration's history and instance row until someone purges them, and the Azure Storage
/// provider's tables only grow (Azurite slows with them). Once a day, finished ones older than
/// <c>Flows:RetainFor</c> go; running ones are never touched.
/// </summary>
public static class FlowRetention
{
    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    [Function("PurgeFlows")]
    public static async Task PurgeAsync(
        [TimerTrigger("%Flows:PurgeSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        IOptions<FlowOptions> options,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var before = clock.GetUtcNow() - options.Value.RetainFor;
        // A start of the range is needed: the hosts' gRPC API reads the filter's CreatedFrom without a null check.
        var purged = await durable.PurgeAllInstancesAsync(new PurgeInstancesFilter(DateTimeOffset.UnixEpoch, before, Finished), ct);
        loggers.CreateLogger(typeof(FlowRetention)).LogInformation(
            "Purged {Count} finished orchestrations created before {Before:O}", purged.PurgedInstanceCount, before);
    }
}
