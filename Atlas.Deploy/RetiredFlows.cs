using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Atlas.Deploy;

/// <summary>
/// The orchestrators and queues a release of Atlas no longer has, and the check that none of them still has work in a
/// deployment's storage. A release that drops an orchestrator must not replace one whose task hub still runs an
/// instance of it: the instance's next episode would find no code and fail (docs/lifecycles.md, "Draining the flows of
/// before"). Read straight from the task hub's Instances table and the queues, as the Azure Storage provider keeps them.
/// </summary>
public static class RetiredFlows
{
    /// <summary>The last release that still runs every retired flow to its end; deploy it, let it drain, then this one.</summary>
    public const string LastDrainingRelease = "0ada9e9";

    public static readonly IReadOnlyList<string> Orchestrators = ["BookingJourneyV1", "DeadlineV1", "StripeStepV1"];

    /// <summary>The queues the retired flows were started from, before the app's <c>Storage:NamePrefix</c>.</summary>
    public static readonly IReadOnlyList<string> Queues = ["deadlines", "stripe"];

    // The provider's terminal statuses; Pending, Running, ContinuedAsNew and Suspended all have an episode to come.
    private static readonly string[] Ended = ["Completed", "Failed", "Terminated", "Canceled"];

    /// <summary>What still holds retired work: an instance (its id, name and status) or a queue with messages; none, and
    /// the release may go out.</summary>
    public static async Task<IReadOnlyList<string>> StillRunningAsync(
        TableServiceClient tables, QueueServiceClient queues, string taskHub, string namePrefix, CancellationToken ct)
    {
        var found = new List<string>();
        var instances = tables.GetTableClient(taskHub + "Instances");
        var filter = $"({string.Join(" or ", Orchestrators.Select(n => TableClient.CreateQueryFilter($"Name eq {n}")))})"
            + string.Concat(Ended.Select(s => TableClient.CreateQueryFilter($" and RuntimeStatus ne {s}")));
        try
        {
            await foreach (var row in instances.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Name", "RuntimeStatus"], cancellationToken: ct))
            {
                found.Add($"orchestration {row.PartitionKey} ({row.GetString("Name")}) is {row.GetString("RuntimeStatus")}");
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No task hub yet: a first deployment.
        }

        foreach (var name in Queues.SelectMany(q => new[] { namePrefix + q, namePrefix + q + "-poison" }))
        {
            var count = await CountAsync(queues.GetQueueClient(name), ct);
            if (count > 0)
            {
                found.Add($"queue {name} holds {count} message(s)");
            }
        }

        return found;
    }

    private static async Task<int> CountAsync(QueueClient queue, CancellationToken ct)
    {
        try
        {
            // A peek sees visible messages only; a message being handled or retried later is invisible, so the queue's
            // approximate count is asked first and the peek only confirms a count of zero is not stale.
            var properties = await queue.GetPropertiesAsync(ct);
            var peeked = await queue.PeekMessagesAsync(32, ct);
            return Math.Max(properties.Value.ApproximateMessagesCount, peeked.Value.Length);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }
}
