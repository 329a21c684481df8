using Atlas.Functions.Storage;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Every Stripe event received, by id: the durable insert that deduplicates deliveries. A row holds the event's body
/// (when it fits a table property; otherwise the processor fetches the event from Stripe) and whether it was processed.
/// </summary>
public sealed class StripeEventLog(ITableStore tables)
{
    public const string Table = "StripeEvents";

    /// <summary>Table string properties hold 32K UTF-16 characters; larger events are fetched back from Stripe.</summary>
    public const int MaxStoredBody = 30_000;

    private const string Row = "event";

    public enum Receipt
    {
        New,

        /// <summary>Seen before and processed (or being processed): acknowledge and do nothing.</summary>
        Duplicate,

        /// <summary>Seen a while ago and never processed (the process died before queuing it): queue it again.</summary>
        Stalled,
    }

    public sealed record StoredEvent(string Id, string Type, string? Body, bool Processed);

    public async Task<Receipt> ReceiveAsync(string eventId, string type, string body, DateTimeOffset now, TimeSpan stalledAfter, CancellationToken ct)
    {
        var row = new TableRow(eventId, Row, new Dictionary<string, object?>
        {
            ["Type"] = type,
            ["Body"] = body.Length <= MaxStoredBody ? body : null,
            ["ReceivedAt"] = now,
            ["Processed"] = false,
        });
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
        return earlier is not null && earlier.Properties.GetValueOrDefault("Processed") is not true && earlier.GetTime("ReceivedAt") < now - stalledAfter
            ? Receipt.Stalled
            : Receipt.Duplicate;
    }

    public async Task<StoredEvent?> FindAsync(string eventId, CancellationToken ct) =>
        await tables.GetAsync(Table, eventId, Row, ct) is { } row
            ? new StoredEvent(eventId, row.GetString("Type")!, row.GetString("Body"), row.Properties.GetValueOrDefault("Processed") is true)
            : null;

    public async Task MarkProcessedAsync(string eventId, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(eventId, Row, new Dictionary<string, object?> { ["Processed"] = true }), "*"), ct);
}
