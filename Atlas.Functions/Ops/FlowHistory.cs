using Atlas.Functions.Hosting;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;
using Azure.Data.Tables;

namespace Atlas.Functions.Ops;

/// <summary>
/// An orchestration's last events, read from the task hub's History table. The Functions host's Durable gRPC API serves
/// no history (its listener does not implement it), so the ops view reads the Azure Storage provider's layout: table
/// <c>{hub}History</c>, a partition per instance, a row per event in order. Another storage provider would need its own.
/// </summary>
public sealed class FlowHistory(IConfiguration configuration)
{
    /// <summary>The setting host.json names the task hub by.</summary>
    public const string HubSetting = "DurableTaskHub";

    private readonly Lazy<TableServiceClient> _tables = new(() =>
        StorageClients.Tables(StorageConnection.For(configuration, AtlasServices.StorageSetting, "table")));

    /// <summary>The last <paramref name="take"/> events, oldest first; empty if the hub or the instance is unknown.</summary>
    public async Task<IReadOnlyList<FlowEventView>> RecentAsync(string instanceId, int take, CancellationToken ct)
    {
        if (configuration[HubSetting] is not { Length: > 0 } hub)
        {
            return [];
        }

        var events = new List<FlowEventView>();
        var table = _tables.Value.GetTableClient(hub + "History");
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == instanceId, select: ["RowKey", "EventType", "Timestamp", "_Timestamp", "Name", "FireAt"], cancellationToken: ct))
        {
            if (row.GetString("EventType") is { } type)
            {
                events.Add(new FlowEventView(
                    row.RowKey, type, row.GetDateTimeOffset("_Timestamp") ?? row.Timestamp, row.GetString("Name"), row.GetDateTimeOffset("FireAt")));
            }
        }

        return [.. events.OrderBy(e => e.Sequence, StringComparer.Ordinal).TakeLast(take)];
    }
}
