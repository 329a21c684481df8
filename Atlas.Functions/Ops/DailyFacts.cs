using System.Globalization;
using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Common;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Ops;

/// <summary>
/// The facts the ops overview counts, written as they are committed: a row per fact and instance in the day's
/// partition (a booking opened, a ride completed, cancelled or a no-show, a payment captured with its platform fee,
/// declined or failed, a deadline's lag), so a fact committed twice is one row. Open disputes are a row per escrow,
/// marked open or closed. Counting a day reads its partition: fine for a marketplace's thousands of rides a day; a
/// larger one would keep counters instead. A day's rows are one partition, so the facts committed while a write is on
/// its way go together in the next batch (a group commit): under load, one storage call for many rides.
/// </summary>
public sealed class DailyFacts : ILifecycleObserver
{
    public const string Table = "OpsFacts";
    public const string Disputes = "disputes";

    private readonly ITableStore _tables;
    private readonly GroupCommit<TableRow> _rows;

    public DailyFacts(ITableStore tables)
    {
        _tables = tables;
        _rows = new GroupCommit<TableRow>(WriteAsync, (group, next) =>
            group.Count < BatchRules.MaxOperations
            && group[0].PartitionKey == next.PartitionKey
            && group.All(row => row.RowKey != next.RowKey));
    }

    public Task CommittedAsync(string type, string id, object before, object after, DateTimeOffset at, CancellationToken ct) => (before, after) switch
    {
        (Booking { Status: BookingStatus.None }, Booking { Status: not BookingStatus.None }) => RecordAsync(at, "booking", id, ct),
        (Ride was, Ride { Status: RideStatus.Completed or RideStatus.Cancelled or RideStatus.NoShow } now) when was.Status != now.Status =>
            RecordAsync(at, now.Status switch { RideStatus.Completed => "completed", RideStatus.Cancelled => "cancelled", _ => "noShow" }, id, ct),
        (Escrow was, Escrow { Status: EscrowStatus.Captured, Terms: { } terms } now) when was.Status != EscrowStatus.Captured =>
            RecordAsync(at, "captured", id, ct, now.Captured, now.Captured - now.DriverShare, terms.Currency),
        (Escrow was, Escrow { Status: EscrowStatus.Declined } now) when was.Status != EscrowStatus.Declined =>
            RecordAsync(at, now.FailureCode?.Contains("declin", StringComparison.OrdinalIgnoreCase) == true ? "declined" : "failed", id, ct),
        (Escrow was, Escrow { Dispute: { } dispute }) when was.Dispute?.Status != dispute.Status => DisputeAsync(id, dispute.Status == "open", ct),
        _ => Task.CompletedTask,
    };

    public Task DeadlineFiredAsync(string type, string id, DateTimeOffset deadline, TimeSpan lag, CancellationToken ct) =>
        RecordAsync(deadline, "lag", string.Create(CultureInfo.InvariantCulture, $"{type}|{id}|{deadline.UtcTicks}"), ct, (long)lag.TotalMilliseconds);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The day's facts: fact name → its rows' (amount, fee, currency).</summary>
    public async Task<ILookup<string, (long Amount, long Fee, string? Currency)>> ReadDayAsync(string day, CancellationToken ct)
    {
        var rows = await _tables.QueryPageAsync(Table, day, "", null, 100_000, ct);
        return rows.ToLookup(r => r.RowKey[..r.RowKey.IndexOf('|', StringComparison.Ordinal)], r => (r.GetLong("Amount"), r.GetLong("Fee"), r.GetString("Currency")), StringComparer.Ordinal);
    }

    public async Task<int> OpenDisputesAsync(CancellationToken ct) =>
        (await _tables.QueryPageAsync(Table, Disputes, "", null, 100_000, ct)).Count(r => r.Properties.TryGetValue("Open", out var open) && open is true);

    private Task RecordAsync(DateTimeOffset at, string fact, string id, CancellationToken ct, long amount = 0, long fee = 0, string? currency = null) =>
        _rows.AddAsync(new TableRow(Day(at), fact + "|" + id, new Dictionary<string, object?> { ["Amount"] = amount, ["Fee"] = fee, ["Currency"] = currency, ["At"] = at }))
            .WaitAsync(ct);

    private async Task WriteAsync(IReadOnlyList<TableRow> rows)
    {
        // Upserts only: a batch can fail only as a whole call does, never on one of its rows.
        var write = rows.Count == 1
            ? await _tables.WriteAsync(Table, TableOperation.Upsert(rows[0]), CancellationToken.None)
            : await _tables.ExecuteBatchAsync(Table, [.. rows.Select(TableOperation.Upsert)], CancellationToken.None);
        if (!write.Succeeded)
        {
            throw new InvalidOperationException($"Writing {rows.Count} ops facts failed: {write.Status}.");
        }
    }

    private async Task DisputeAsync(string escrowId, bool open, CancellationToken ct) =>
        await _tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(Disputes, escrowId, new Dictionary<string, object?> { ["Open"] = open })), ct);
}
