using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;

namespace Atlas.Testing.Sample;

/// <summary>
/// An idempotent receiver for <see cref="Announce"/>: it records each effect id with a durable insert, so a
/// redelivered effect is recognised and not applied twice. It counts deliveries and applications so tests can
/// tell at-least-once delivery from exactly-once application.
/// </summary>
public sealed class Announcer(ITableStore tables, DeliveryLog deliveries) : IEffectHandler<Announce>
{
    public const string ReceiptsTable = "JobReceipts";

    public async Task<object?> HandleAsync(Announce effect, EffectContext context, CancellationToken ct)
    {
        deliveries.Record(context.EffectId);
        var receipt = new TableRow(
            "receipts",
            context.EffectId.Replace(':', '_'),
            new Dictionary<string, object?> { ["Message"] = effect.Message, ["InstanceId"] = context.InstanceId });
        var write = await tables.WriteAsync(ReceiptsTable, Atlas.Functions.Storage.TableOperation.Insert(receipt), ct);
        if (write.Status is not (TableWriteStatus.Ok or TableWriteStatus.Conflict))
        {
            throw new InvalidOperationException($"Recording receipt {context.EffectId} returned {write.Status}.");
        }

        // Feed back even for a duplicate: the first delivery may have died before its feedback was applied.
        return effect.Message == "opened" ? new ConfirmAnnounced(context.EffectId) : null;
    }

    /// <summary>Every effect applied, with how many times (a durable insert per id means at most once each).</summary>
    public async Task<IReadOnlyList<string>> AppliedAsync(CancellationToken ct = default)
    {
        var page = await tables.QueryPartitionAsync(ReceiptsTable, "receipts", null, null, 1000, ct);
        return page.Rows.Select(r => r.RowKey.Replace('_', ':')).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>How often each effect id reached a handler; shared by a test's runtimes across a simulated restart.</summary>
public sealed class DeliveryLog
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new();

    public void Record(string effectId) => _counts.AddOrUpdate(effectId, 1, (_, n) => n + 1);

    public int Count(string effectId) => _counts.GetValueOrDefault(effectId);
}
