using System.Collections.Concurrent;
using System.Text.Json;
using Atlas.Core.Ledger;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Ledger;

/// <summary>
/// The ledger on Table storage: a partition per driver holding every transaction that touches the driver's accounts
/// (each transaction touches at most one driver), a row per transaction keyed by its id, so appending twice is
/// appending once and a transaction is never split across partitions. A "drivers" partition lists who has one, with
/// their company, for settlement; a "kept-payout-accounts" partition the connected account of each driver whose account
/// was erased, so what they earn after it is still paid. Transaction rows are only ever inserted.
/// </summary>
public sealed class LedgerStore(ITableStore tables)
{
    public const string Table = "Ledger";
    private const string DriversPartition = "drivers";
    private const string PlatformPartition = "platform";
    private const string KeptAccountsPartition = "kept-payout-accounts";

    // Drivers this process has listed already: the list row is written once per driver and process, not per transaction.
    private readonly ConcurrentDictionary<string, bool> _listed = new(StringComparer.Ordinal);

    public sealed record LedgerDriver(string DriverId, string CompanyId);

    /// <summary>Records the transaction; false when it was already there.</summary>
    public async Task<bool> AppendAsync(LedgerTransaction transaction, string? companyId, CancellationToken ct)
    {
        if (transaction.DriverId is { } driverId && companyId is not null && !_listed.ContainsKey(driverId))
        {
            // The list first: a crash after it leaves a driver settlement finds nothing new for, never one it misses.
            await tables.WriteAsync(
                Table,
                TableOperation.Upsert(new TableRow(DriversPartition, driverId, new Dictionary<string, object?> { ["CompanyId"] = companyId })),
                ct);
            _listed[driverId] = true;
        }

        var write = await tables.WriteAsync(Table, TableOperation.Insert(ToRow(transaction)), ct);
        return write.Status switch
        {
            TableWriteStatus.Ok => true,
            TableWriteStatus.Conflict => false,
            var status => throw new InvalidOperationException($"Recording ledger transaction {transaction.Id} failed: {status}."),
        };
    }

    /// <summary>Every transaction of the driver's, oldest first by time.</summary>
    public async Task<IReadOnlyList<LedgerTransaction>> ReadDriverAsync(string driverId, CancellationToken ct)
    {
        List<LedgerTransaction> all = [];
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(Table, Partition(driverId), null, continuation, 1000, ct);
            all.AddRange(page.Rows.Select(FromRow));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return [.. all.OrderBy(t => t.At).ThenBy(t => t.Id, StringComparer.Ordinal)];
    }

    /// <summary>Up to <paramref name="take"/> drivers with a ledger, in id order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<LedgerDriver>> ListDriversAsync(string? after, int take, CancellationToken ct) =>
        [.. (await tables.QueryPageAsync(Table, DriversPartition, "", after, take, ct)).Select(r => new LedgerDriver(r.RowKey, r.GetString("CompanyId")!))];

    /// <summary>Keeps the connected account a driver is paid into with their ledger: their driver row, which held it,
    /// is about to go with the rest of their account, and a tip or a late capture may still be owed to them.</summary>
    public async Task KeepPayoutAccountAsync(string driverId, string payoutAccountId, CancellationToken ct) =>
        await tables.WriteAsync(
            Table,
            TableOperation.Upsert(new TableRow(KeptAccountsPartition, driverId, new Dictionary<string, object?> { ["PayoutAccountId"] = payoutAccountId })),
            ct);

    /// <summary>The connected account kept for a driver whose account was erased, if any.</summary>
    public async Task<string?> KeptPayoutAccountAsync(string driverId, CancellationToken ct) =>
        (await tables.GetAsync(Table, KeptAccountsPartition, driverId, ct))?.GetString("PayoutAccountId");

    /// <summary>Writes many transactions of one driver in batches (setting up a benchmark); each must be new.</summary>
    public async Task ImportAsync(string driverId, string companyId, IReadOnlyList<LedgerTransaction> transactions, CancellationToken ct)
    {
        await tables.WriteAsync(
            Table, TableOperation.Upsert(new TableRow(DriversPartition, driverId, new Dictionary<string, object?> { ["CompanyId"] = companyId })), ct);
        foreach (var chunk in transactions.Chunk(100))
        {
            var write = await tables.ExecuteBatchAsync(Table, [.. chunk.Select(t => TableOperation.Insert(ToRow(t)))], ct);
            if (!write.Succeeded)
            {
                throw new InvalidOperationException($"Importing ledger transactions of {driverId} failed: {write.Status}.");
            }
        }
    }

    private static string Partition(string? driverId) => driverId is null ? PlatformPartition : "driver|" + driverId;

    private static TableRow ToRow(LedgerTransaction t) => new(Partition(t.DriverId), t.Id, new Dictionary<string, object?>
    {
        ["Kind"] = t.Kind,
        ["Currency"] = t.Currency,
        ["RideId"] = t.RideId,
        ["At"] = t.At,
        ["Reference"] = t.Reference,
        ["Postings"] = JsonSerializer.Serialize(t.Postings.Select(p => new[] { p.Account, p.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) })),
    });

    private static LedgerTransaction FromRow(TableRow row)
    {
        var postings = JsonSerializer.Deserialize<string[][]>(row.GetString("Postings")!)!
            .Select(p => new Posting(p[0], long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var driverId = row.PartitionKey.StartsWith("driver|", StringComparison.Ordinal) ? row.PartitionKey["driver|".Length..] : null;
        return new LedgerTransaction(row.RowKey, row.GetString("Kind")!, row.GetString("Currency")!, driverId, row.GetString("RideId"), row.GetTime("At")!.Value, postings)
        {
            Reference = row.GetString("Reference"),
        };
    }
}
