using System.ComponentModel;
using System.Text.Json;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Every Stripe event received, by id: the durable insert that deduplicates deliveries. Stripe redelivers an event
/// only when it got no 2xx, which is when this process died between the insert and queuing it: a delivery of an
/// event first received a while ago is queued again (applying an event twice changes nothing), while one arriving
/// with the first (two at once, or Stripe's own duplicate) is dropped. An event that was not applied is marked failed
/// or ignored, with why, and listed for operators.
/// </summary>
public sealed class StripeEventLog(ITableStore tables)
{
    public const string Table = "StripeEvents";
    private const string Row = "event";

    /// <summary>The events not applied, failed and ignored, by id. Named when failures were the only ones; kept, so
    /// the rows already there stay listed.</summary>
    private const string UnappliedPartition = "failed";

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
        var row = new TableRow(eventId, Row, new Dictionary<string, object?> { ["Type"] = type, ["ReceivedAt"] = now, ["Source"] = Name(StripeEventSource.Webhook) });
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

    /// <summary>Records an event the catch-up found in Stripe's list. True when it is to be queued: never received
    /// before, or caught up by a run that died before it was queued (<see cref="MarkQueuedAsync"/> was not reached).
    /// An event the webhook brought is left to it: Stripe redelivers what it did not see acknowledged.</summary>
    public async Task<bool> CatchUpAsync(string eventId, string type, DateTimeOffset now, CancellationToken ct)
    {
        var row = new TableRow(eventId, Row, new Dictionary<string, object?>
        {
            ["Type"] = type,
            ["ReceivedAt"] = now,
            ["Source"] = Name(StripeEventSource.CatchUp),
            ["Queued"] = false,
        });
        var write = await tables.WriteAsync(Table, TableOperation.Insert(row), ct);
        if (write.Succeeded)
        {
            return true;
        }

        if (write.Status != TableWriteStatus.Conflict)
        {
            throw new InvalidOperationException($"Recording Stripe event {eventId} failed: {write.Status}.");
        }

        var earlier = await tables.GetAsync(Table, eventId, Row, ct);
        return earlier?.GetString("Source") == Name(StripeEventSource.CatchUp) && earlier.Properties.GetValueOrDefault("Queued") is false;
    }

    /// <summary>The caught-up event is on the queue: a later run leaves it.</summary>
    public async Task MarkQueuedAsync(string eventId, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, new Dictionary<string, object?> { ["Queued"] = true }), "*"), ct);

    /// <summary>Marks the event failed: it will not be tried again by Atlas.</summary>
    public Task RecordFailureAsync(string eventId, string? type, string reason, int attempts, DateTimeOffset now, CancellationToken ct) =>
        RecordUnappliedAsync(eventId, new Dictionary<string, object?>
        {
            ["Type"] = type,
            ["Status"] = Name(StripeEventStatus.Failed),
            ["Error"] = Clip(reason),
            ["Attempts"] = attempts,
            ["FailedAt"] = now,
        }, ct);

    /// <summary>Marks the event ignored, with why: Atlas read it and left it.</summary>
    public Task RecordIgnoredAsync(string eventId, string type, StripeEventIgnored ignored, DateTimeOffset now, CancellationToken ct) =>
        RecordUnappliedAsync(eventId, new Dictionary<string, object?>
        {
            ["Type"] = type,
            ["Status"] = Name(StripeEventStatus.Ignored),
            ["Reason"] = Name(ignored.Reason),
            ["Detail"] = Clip(ignored.Detail),
            ["IgnoredAt"] = now,
        }, ct);

    /// <summary>A failed event an operator asked to apply again: marked replayed (and off the unapplied list) under the
    /// ETag it was read with, so of two replays at once only one goes ahead. Null when the event is unknown; false when
    /// it is not failed (applied, replayed already, or never failed).</summary>
    public async Task<bool?> MarkReplayedAsync(string eventId, DateTimeOffset now, CancellationToken ct)
    {
        if (await tables.GetAsync(Table, eventId, Row, ct) is not { } row)
        {
            return null;
        }

        if (row.GetString("Status") != Name(StripeEventStatus.Failed))
        {
            return false;
        }

        var replayed = new Dictionary<string, object?> { ["Status"] = Name(StripeEventStatus.Replayed), ["ReplayedAt"] = now };
        if (!(await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, replayed), row.ETag!), ct)).Succeeded)
        {
            return false;
        }

        await tables.WriteAsync(Table, TableOperation.Delete(UnappliedPartition, eventId), ct);
        return true;
    }

    /// <summary>An event applied after it failed at least once (a retry or a replay): marked applied, off the unapplied list.</summary>
    public async Task RecordAppliedAsync(string eventId, DateTimeOffset now, CancellationToken ct)
    {
        var applied = new Dictionary<string, object?> { ["Status"] = Name(StripeEventStatus.Applied), ["AppliedAt"] = now };
        await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, applied), "*"), ct);
        await tables.WriteAsync(Table, TableOperation.Delete(UnappliedPartition, eventId), ct);
    }

    public async Task<StripeEventRecord?> FindAsync(string eventId, CancellationToken ct) =>
        await tables.GetAsync(Table, eventId, Row, ct) is { } row ? Record(eventId, row) : null;

    /// <summary>A page of the events not applied (those with <paramref name="status"/> only, when one is given), by id,
    /// and the cursor of the next page (null at the end).</summary>
    public async Task<(IReadOnlyList<StripeEventRecord> Items, string? Next)> UnappliedAsync(StripeEventStatus? status, string? after, int take, CancellationToken ct)
    {
        var items = new List<StripeEventRecord>();
        var cursor = after;
        while (true)
        {
            var rows = await tables.QueryPageAsync(Table, UnappliedPartition, "evt_", cursor, 200, ct);
            foreach (var row in rows)
            {
                cursor = row.RowKey;
                var record = Record(row.RowKey, row);
                if (status is null || record.Status == status)
                {
                    items.Add(record);
                    if (items.Count == take)
                    {
                        return (items, cursor);
                    }
                }
            }

            if (rows.Count < 200)
            {
                return (items, null);
            }
        }
    }

    private async Task RecordUnappliedAsync(string eventId, Dictionary<string, object?> outcome, CancellationToken ct)
    {
        // The list shows how each came; the receipt knows (an event listed without one came by webhook, before sources).
        if ((await tables.GetAsync(Table, eventId, Row, ct))?.GetString("Source") is { } source)
        {
            outcome["Source"] = source;
        }
        await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(UnappliedPartition, eventId, outcome)), ct);

        // A merge, so the receipt stays; an event without a receipt row here is still listed.
        await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, outcome), "*"), ct);
    }

    private static StripeEventRecord Record(string eventId, TableRow row) => new(
        eventId,
        row.GetString("Type"),
        row.GetTime("ReceivedAt"),
        Parse<StripeEventStatus>(row.GetString("Status")) ?? StripeEventStatus.Received,
        row.GetString("Error"),
        (int)row.GetLong("Attempts"),
        row.GetTime("FailedAt"),
        Parse<StripeEventIgnoredReason>(row.GetString("Reason")),
        row.GetString("Detail"),
        row.GetTime("IgnoredAt"),
        Parse<StripeEventSource>(row.GetString("Source")) ?? StripeEventSource.Webhook);

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static T? Parse<T>(string? name)
        where T : struct, Enum => Enum.GetValues<T>().Select(v => (T?)v).FirstOrDefault(v => Name(v!.Value) == name);

    private static string Clip(string text) => text.Length > 1_000 ? text[..1_000] : text;
}

/// <summary>What operators see of one Stripe event.</summary>
public sealed record StripeEventRecord(
    string Id,
    string? Type,
    DateTimeOffset? ReceivedAt,
    [property: Description("received (on its way, or applied), failed (could not be applied), ignored (read and left: see reason), replayed (an operator asked to apply it again) or applied (applied after failing).")] StripeEventStatus Status,
    [property: Description("Why a failed event could not be applied.")] string? Error,
    [property: Description("How often a failed event was tried.")] int Attempts,
    DateTimeOffset? FailedAt,
    [property: Description("Why an ignored event was left: notOurs (names no Atlas ride: another system's payment), unknownRide (an Atlas-shaped ride id with no payment), refused (the ride's payment refused it), notUsed (a type or dispute outcome Atlas does not act on).")] StripeEventIgnoredReason? Reason,
    [property: Description("What the ignored event named, and why it was left.")] string? Detail,
    DateTimeOffset? IgnoredAt,
    [property: Description("How Atlas got the event: webhook (Stripe posted it) or catchUp (the catch-up timer found it in Stripe's list of events, never delivered).")] StripeEventSource Source);
