using Atlas.Functions.Storage;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Every Stripe event received, by id: the durable insert that deduplicates deliveries. Stripe redelivers an event
/// only when it got no 2xx, which is when this process died between the insert and queuing it: a delivery of an
/// event first received a while ago is queued again (applying an event twice changes nothing), while one arriving
/// with the first (two at once, or Stripe's own duplicate) is dropped. An event that could not be applied is marked
/// failed with its reason, and listed in the "failed" partition for operators.
/// </summary>
public sealed class StripeEventLog(ITableStore tables)
{
    public const string Table = "StripeEvents";
    private const string Row = "event";
    private const string FailedPartition = "failed";

    public enum Receipt
    {
        New,

        /// <summary>Received moments ago and on its way: acknowledge and do nothing.</summary>
        Duplicate,

        /// <summary>Received a while ago: its first delivery may have died before it was queued; queue it again.</summary>
        Stalled,
    }

    public async Task<Receipt> ReceiveAsync(string eventId, string type, DateTimeOffset now, TimeSpan stalledAfter, CancellationToken ct)
    {
        var row = new TableRow(eventId, Row, new Dictionary<string, object?> { ["Type"] = type, ["ReceivedAt"] = now });
        var write = await tables.WriteAsync(Table, TableOperation.Insert(row), ct);
        if (write.Succeeded)
        {
            return Receipt.New;
        }

        if (write.Status != TableWriteStatus.Conflict)
        {
            throw new InvalidOperationException($"Recording Stripe event {eventId} failed: {write.Status}.");
        }

        var earlier = await tables.GetAsync(Table, eventId, Row, ct);
        return earlier?.GetTime("ReceivedAt") < now - stalledAfter ? Receipt.Stalled : Receipt.Duplicate;
    }

    /// <summary>Marks the event failed: it will not be tried again by Atlas.</summary>
    public async Task RecordFailureAsync(string eventId, string? type, string reason, int attempts, DateTimeOffset now, CancellationToken ct)
    {
        var failure = new Dictionary<string, object?>
        {
            ["Type"] = type,
            ["Status"] = "failed",
            ["Error"] = reason.Length > 1_000 ? reason[..1_000] : reason,
            ["Attempts"] = attempts,
            ["FailedAt"] = now,
        };
        await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(FailedPartition, eventId, failure)), ct);

        // A merge, so the receipt stays; an event without a receipt row here is still in the failed list.
        await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, failure), "*"), ct);
    }

    /// <summary>A failed event an operator asked to apply again: marked replayed (and off the failed list) under the
    /// ETag it was read with, so of two replays at once only one goes ahead. Null when the event is unknown; false when
    /// it is not failed (applied, replayed already, or never failed).</summary>
    public async Task<bool?> MarkReplayedAsync(string eventId, DateTimeOffset now, CancellationToken ct)
    {
        if (await tables.GetAsync(Table, eventId, Row, ct) is not { } row)
        {
            return null;
        }

        if (row.GetString("Status") != "failed")
        {
            return false;
        }

        var replayed = new Dictionary<string, object?> { ["Status"] = "replayed", ["ReplayedAt"] = now };
        if (!(await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, replayed), row.ETag!), ct)).Succeeded)
        {
            return false;
        }

        await tables.WriteAsync(Table, TableOperation.Delete(FailedPartition, eventId), ct);
        return true;
    }

    /// <summary>An event applied after it failed at least once (a retry or a replay): marked applied, off the failed list.</summary>
    public async Task RecordAppliedAsync(string eventId, DateTimeOffset now, CancellationToken ct)
    {
        var applied = new Dictionary<string, object?> { ["Status"] = "applied", ["AppliedAt"] = now };
        await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, applied), "*"), ct);
        await tables.WriteAsync(Table, TableOperation.Delete(FailedPartition, eventId), ct);
    }

    public async Task<StripeEventRecord?> FindAsync(string eventId, CancellationToken ct) =>
        await tables.GetAsync(Table, eventId, Row, ct) is { } row ? Record(eventId, row) : null;

    /// <summary>A page of the events that failed, by id.</summary>
    public async Task<IReadOnlyList<StripeEventRecord>> FailedAsync(string? after, int take, CancellationToken ct) =>
        [.. (await tables.QueryPageAsync(Table, FailedPartition, "evt_", after, take, ct)).Select(r => Record(r.RowKey, r))];

    private static StripeEventRecord Record(string eventId, TableRow row) => new(
        eventId,
        row.GetString("Type"),
        row.GetTime("ReceivedAt"),
        row.GetString("Status") ?? "received",
        row.GetString("Error"),
        (int)row.GetLong("Attempts"),
        row.GetTime("FailedAt"));
}

/// <summary>What operators see of one Stripe event.</summary>
public sealed record StripeEventRecord(
    string Id, string? Type, DateTimeOffset? ReceivedAt, string Status, string? Error, int Attempts, DateTimeOffset? FailedAt);
