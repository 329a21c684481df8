using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Testing;

/// <summary>
/// The Durable engine's part for the runtime's tests, which run the app's services without a Functions host
/// (<see cref="TestRuntime"/>): what the Deadlines queue function would start as a <see cref="DeadlineFlow"/> is kept
/// in a table of its own, and fired by <see cref="DeadlineFiring"/> — the flow's activity — once the clock has passed
/// it. Kept in storage, so a runtime started over a crashed one's prefix finds what was armed.
/// </summary>
public sealed class ManualDeadlines(ITableStore tables, DeadlineFiring firing, TimeProvider clock)
{
    public const string Table = "TestDeadlines";
    private const string Partition = "armed";

    /// <summary>Takes one message off the deadlines queue: the flow it would start, armed.</summary>
    public async Task ArmAsync(QueueMessage message, CancellationToken ct)
    {
        var envelope = JsonSerializer.Deserialize<EffectEnvelope>(message.Text, LifecycleJson.Options)!;
        var deadline = DeadlineFlow.DeadlineIn(envelope);
        await tables.CreateTableIfNotExistsAsync(Table, ct);
        await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(
            Partition,
            DeadlineFlow.InstanceId(envelope.Lifecycle, envelope.InstanceId, deadline),
            new Dictionary<string, object?> { ["Lifecycle"] = envelope.Lifecycle, ["InstanceId"] = envelope.InstanceId })), ct);
    }

    /// <summary>Fires every armed deadline the clock has passed; returns how many.</summary>
    public async Task<int> FireDueAsync(CancellationToken ct)
    {
        await tables.CreateTableIfNotExistsAsync(Table, ct);
        var now = clock.GetUtcNow();
        var fired = 0;
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(Table, Partition, "", continuation, 1000, ct);
            foreach (var row in page.Rows.Where(r => DeadlineFlow.DeadlineOf(r.RowKey) <= now))
            {
                await firing.FireAsync(row.GetString("Lifecycle")!, row.GetString("InstanceId")!, DeadlineFlow.DeadlineOf(row.RowKey), trace: null, ct);
                await tables.WriteAsync(Table, TableOperation.Delete(Partition, row.RowKey), ct);
                fired++;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);

        return fired;
    }

    /// <summary>Deadlines armed and not yet fired.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> ArmedAsync(CancellationToken ct)
    {
        await tables.CreateTableIfNotExistsAsync(Table, ct);
        var page = await tables.QueryPartitionAsync(Table, Partition, "", null, 1000, ct);
        return page.Rows.Select(r => DeadlineFlow.DeadlineOf(r.RowKey)).ToList();
    }
}
