using Atlas.Core.Settlement;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Settlement;

/// <summary>One driver's line in a period's settlement.</summary>
public sealed record SettlementLine(
    string DriverId, string Currency, long Amount, long Held, PayoutStatus Status, string? TransferId, string? Error, DateTimeOffset UpdatedAt);

/// <summary>A partition per period, a row per driver and currency. A line is inserted (pending, with its amount)
/// before its transfer, so a rerun transfers that same amount under the same key, never a second one.</summary>
public sealed class SettlementStore(ITableStore tables)
{
    public const string Table = "Settlements";

    /// <summary>Inserts the line; when one is there already, returns that one instead.</summary>
    public async Task<(SettlementLine Line, bool Inserted)> StartAsync(string periodId, SettlementLine line, CancellationToken ct)
    {
        var write = await tables.WriteAsync(Table, TableOperation.Insert(ToRow(periodId, line)), ct);
        if (write.Succeeded)
        {
            return (line, true);
        }

        return await tables.GetAsync(Table, periodId, RowKey(line.DriverId, line.Currency), ct) is { } row
            ? (FromRow(row), false)
            : throw new InvalidOperationException($"Settlement line {periodId}/{line.DriverId} could not be written: {write.Status}.");
    }

    public async Task SaveAsync(string periodId, SettlementLine line, CancellationToken ct)
    {
        var write = await tables.WriteAsync(Table, TableOperation.Upsert(ToRow(periodId, line)), ct);
        if (!write.Succeeded)
        {
            throw new InvalidOperationException($"Settlement line {periodId}/{line.DriverId} could not be saved: {write.Status}.");
        }
    }

    public async Task<IReadOnlyList<SettlementLine>> ReadAsync(string periodId, CancellationToken ct)
    {
        List<SettlementLine> lines = [];
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(Table, periodId, null, continuation, 1000, ct);
            lines.AddRange(page.Rows.Select(FromRow));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return lines;
    }

    private static string RowKey(string driverId, string currency) => $"{driverId}|{currency}";

    private static TableRow ToRow(string periodId, SettlementLine line) => new(periodId, RowKey(line.DriverId, line.Currency), new Dictionary<string, object?>
    {
        ["Amount"] = line.Amount,
        ["Held"] = line.Held,
        ["Status"] = line.Status.ToString(),
        ["TransferId"] = line.TransferId,
        ["Error"] = line.Error,
        ["UpdatedAt"] = line.UpdatedAt,
    });

    private static SettlementLine FromRow(TableRow row)
    {
        var (driverId, currency) = (row.RowKey[..row.RowKey.LastIndexOf('|')], row.RowKey[(row.RowKey.LastIndexOf('|') + 1)..]);
        return new SettlementLine(
            driverId,
            currency,
            row.GetLong("Amount"),
            row.GetLong("Held"),
            Enum.Parse<PayoutStatus>(row.GetString("Status")!),
            row.GetString("TransferId"),
            row.GetString("Error"),
            row.GetTime("UpdatedAt")!.Value);
    }
}
