using System.Text.Json;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Lifecycles;

/// <summary>An effect waiting in an instance's partition to be put on its queue.</summary>
public sealed record OutboxEntry(string Lifecycle, string InstanceId, string RowKey, EffectEnvelope Envelope, string Queue)
{
    public TableRow ToRow(DateTimeOffset now) => new(
        LifecycleKeys.Partition(Lifecycle, InstanceId),
        RowKey,
        new Dictionary<string, object?>
        {
            ["EffectId"] = Envelope.EffectId,
            ["Kind"] = Envelope.Kind,
            ["Queue"] = Queue,
            ["Payload"] = Envelope.Payload.GetRawText(),
            ["CreatedAt"] = now,
            ["Trace"] = Envelope.Trace,
        });

    public static OutboxEntry FromRow(string lifecycle, string instanceId, TableRow row)
    {
        using var payload = JsonDocument.Parse(row.GetString("Payload")!);
        var envelope = new EffectEnvelope(
            row.GetString("EffectId")!, row.GetString("Kind")!, lifecycle, instanceId, payload.RootElement.Clone(), row.GetString("Trace"));
        return new OutboxEntry(lifecycle, instanceId, row.RowKey, envelope, row.GetString("Queue")!);
    }
}

/// <summary>What goes on a queue for an effect: who asked for it, its stable id, and its payload.</summary>
/// <param name="Trace">The traceparent of the command that asked for it: the effect's span continues that trace.</param>
public sealed record EffectEnvelope(string EffectId, string Kind, string Lifecycle, string InstanceId, JsonElement Payload, string? Trace = null);
