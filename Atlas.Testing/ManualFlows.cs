using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Testing;

/// <summary>
/// The Durable engine's part for the runtime's tests, which run the app's services without a Functions host
/// (<see cref="TestRuntime"/>): what a flow hears of each instance (the <c>flows</c> queue's facts) is kept in a table,
/// its steps are taken at once and its deadlines fired once the clock has passed them, by the flows' own activity
/// bodies. Kept in storage, so a runtime started over a crashed one's prefix finds what was armed.
/// </summary>
public sealed class ManualFlows(ITableStore tables, DeadlineFiring firing, EffectDispatcher effects, LifecycleRegistry lifecycles, TimeProvider clock)
{
    public const string Table = "TestFlows";
    private const string Partition = "watch";

    /// <summary>Takes one message off the flows queue: its steps taken, its deadline kept.</summary>
    public async Task TakeAsync(QueueMessage message, CancellationToken ct)
    {
        var fact = FlowDelivery.Read(JsonSerializer.Deserialize<EffectEnvelope>(message.Text, LifecycleJson.Options)!);
        await KeepAsync(fact, ct);
        foreach (var step in fact.Steps)
        {
            await effects.HandleAsync(step, message.DequeueCount, ct);
            await KeepAsync(await lifecycles.Find(step.Lifecycle)!.FactAsync(step.InstanceId, ct), ct);
        }
    }

    /// <summary>Fires every kept deadline the clock has passed; returns how many.</summary>
    public async Task<int> FireDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var fired = 0;
        foreach (var row in await RowsAsync(ct))
        {
            if (Deadline(row) is { } deadline && deadline <= now)
            {
                var (lifecycle, id) = (row.GetString("Lifecycle")!, row.GetString("InstanceId")!);
                await firing.FireAsync(lifecycle, id, deadline, row.GetString("Trace"), flowKnows: true, ct);
                await KeepAsync(await lifecycles.Find(lifecycle)!.FactAsync(id, ct), ct);
                fired++;
            }
        }

        return fired;
    }

    /// <summary>Deadlines kept and not yet fired.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> ArmedAsync(CancellationToken ct) =>
        (await RowsAsync(ct)).Select(Deadline).OfType<DateTimeOffset>().ToList();

    private async Task KeepAsync(FlowFact? fact, CancellationToken ct)
    {
        if (fact is null)
        {
            return;
        }

        await tables.CreateTableIfNotExistsAsync(Table, ct);
        var row = await tables.GetAsync(Table, Partition, fact.Key, ct);
        if (row is not null && row.GetLong("Version") > fact.Version)
        {
            return;
        }

        await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(Partition, fact.Key, new Dictionary<string, object?>
        {
            ["Lifecycle"] = fact.Lifecycle,
            ["InstanceId"] = fact.Id,
            ["Version"] = fact.Version,
            ["Deadline"] = fact.Over ? null : fact.Deadline,
            ["Trace"] = fact.Trace,
        })), ct);
    }

    private async Task<IReadOnlyList<TableRow>> RowsAsync(CancellationToken ct)
    {
        await tables.CreateTableIfNotExistsAsync(Table, ct);
        var rows = new List<TableRow>();
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(Table, Partition, "", continuation, 1000, ct);
            rows.AddRange(page.Rows);
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return rows;
    }

    private static DateTimeOffset? Deadline(TableRow row) => row.GetTime("Deadline");
}
