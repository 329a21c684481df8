using System.Globalization;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The safety net under the outbox: one row per instance whose outbox a commit has just filled, partitioned by the
/// minute its relay becomes overdue. It is written before the commit and removed once the fast path has relayed, so a
/// crash in between leaves a row the scan finds (and a row left stale only relays an empty outbox). The scan reads only
/// buckets up to now, never the instances themselves.
/// </summary>
public sealed class RelayIndex(ITableStore tables)
{
    public const string Table = "LifecycleRelays";

    /// <summary>If the fast path has not finished by <paramref name="at"/>, the scan relays.</summary>
    public async Task<RelayEntry> ScheduleAsync(string type, string id, DateTimeOffset at, CancellationToken ct)
    {
        var row = new TableRow(
            Bucket(at),
            RowKey(type, id, at),
            new Dictionary<string, object?> { ["Lifecycle"] = type, ["InstanceId"] = id, ["DueTicks"] = at.UtcTicks });
        var write = await tables.WriteAsync(Table, TableOperation.Upsert(row), ct);
        if (!write.Succeeded)
        {
            throw new InvalidOperationException($"Upserting relay row {row.RowKey} returned {write.Status}.");
        }

        return ToEntry(row with { ETag = write.ETag });
    }

    public async Task<IReadOnlyList<RelayEntry>> ListDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = new List<RelayEntry>();
        string? continuation = null;
        do
        {
            // Row keys start with the due time in ticks, so the bound skips what is due later this minute.
            var page = await tables.QueryPartitionsUpToAsync(Table, Bucket(now), TickKey(now.UtcTicks + 1), continuation, 1000, ct);
            due.AddRange(page.Rows.Select(ToEntry).Where(e => e.Due <= now));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return due;
    }

    /// <summary>Removes a handled row, unless it was written again since it was read (its ETag moved on).</summary>
    public Task CompleteAsync(RelayEntry entry, CancellationToken ct) =>
        tables.WriteAsync(Table, TableOperation.Delete(entry.Bucket, entry.RowKey, entry.ETag), ct);

    public static string Bucket(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string TickKey(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    private static string RowKey(string type, string id, DateTimeOffset due) => $"{TickKey(due.UtcTicks)}|{type}|{id}";

    private static RelayEntry ToEntry(TableRow row) => new(
        row.PartitionKey,
        row.RowKey,
        row.ETag ?? "*",
        row.GetString("Lifecycle")!,
        row.GetString("InstanceId")!,
        new DateTimeOffset(row.GetLong("DueTicks"), TimeSpan.Zero));
}

public sealed record RelayEntry(string Bucket, string RowKey, string ETag, string Lifecycle, string InstanceId, DateTimeOffset Due);
