using Atlas.Functions.Storage;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Every Stripe event received, by id: the durable insert that deduplicates deliveries. Stripe redelivers an event
/// only when it got no 2xx, which is when this process died between the insert and queuing it: a delivery of an
/// event first received a while ago is queued again (applying an event twice changes nothing), while one arriving
/// with the first (two at once, or Stripe's own duplicate) is dropped.
/// </summary>
public sealed class StripeEventLog(ITableStore tables)
{
    public const string Table = "StripeEvents";
    private const string Row = "event";

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

    public async Task<bool> WasReceivedAsync(string eventId, CancellationToken ct) => await tables.GetAsync(Table, eventId, Row, ct) is not null;
}
