using System.Globalization;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The due-timer index: one row per thing that becomes due at a time, partitioned by the minute it is due in.
/// A row is written before the state that needs it, so a timer or a pending outbox can never be missed; a row
/// that turns out stale is harmless (the decider ignores an old timeout; an empty outbox relays nothing).
/// The scan reads only buckets up to now, never the instances themselves.
/// </summary>
public sealed class DueIndex(ITableStore tables)
{
    public const string Table = "LifecycleDue";

    public Task<DueEntry> ScheduleTimerAsync(string type, string id, DateTimeOffset deadline, CancellationToken ct) =>
        UpsertAsync(DueKind.Timer, type, id, deadline, ct);

    /// <summary>The safety net under the fast-path relay: if it has not finished by <paramref name="at"/>, the scan relays.</summary>
    public Task<DueEntry> ScheduleRelayAsync(string type, string id, DateTimeOffset at, CancellationToken ct) =>
        UpsertAsync(DueKind.Relay, type, id, at, ct);

    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = new List<DueEntry>();
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

    /// <summary>Removes the due row of a deadline the instance no longer waits on, unless it was written again since
    /// (its ETag moved on). Saves the scan from firing a timeout the decider would ignore.</summary>
    public async Task CancelTimerAsync(string type, string id, DateTimeOffset deadline, string etag, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Delete(Bucket(deadline), RowKey(DueKind.Timer, type, id, deadline), etag), ct);

    /// <summary>Removes a handled row, unless it was written again since it was read (its ETag moved on).</summary>
    public Task CompleteAsync(DueEntry entry, CancellationToken ct) =>
        tables.WriteAsync(Table, TableOperation.Delete(entry.Bucket, entry.RowKey, entry.ETag), ct);

    public static string Bucket(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string TickKey(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    private static string RowKey(DueKind kind, string type, string id, DateTimeOffset due) =>
        $"{TickKey(due.UtcTicks)}|{(kind == DueKind.Timer ? 't' : 'r')}|{type}|{id}";

    private async Task<DueEntry> UpsertAsync(DueKind kind, string type, string id, DateTimeOffset due, CancellationToken ct)
    {
        var row = new TableRow(
            Bucket(due),
            RowKey(kind, type, id, due),
            new Dictionary<string, object?>
            {
                ["Kind"] = kind.ToString(),
                ["Lifecycle"] = type,
                ["InstanceId"] = id,
                // Ticks, not an Edm.DateTime: the timeout must carry the deadline exactly as the decider set it.
                ["DueTicks"] = due.UtcTicks,
            });
        var write = await tables.WriteAsync(Table, TableOperation.Upsert(row), ct);
        if (!write.Succeeded)
        {
            throw new InvalidOperationException($"Upserting due row {row.RowKey} returned {write.Status}.");
        }

        return ToEntry(row with { ETag = write.ETag });
    }

    private static DueEntry ToEntry(TableRow row) => new(
        row.PartitionKey,
        row.RowKey,
        row.ETag ?? "*",
        Enum.Parse<DueKind>(row.GetString("Kind")!),
        row.GetString("Lifecycle")!,
        row.GetString("InstanceId")!,
        new DateTimeOffset(row.GetLong("DueTicks"), TimeSpan.Zero));
}

public enum DueKind
{
    Timer,
    Relay,
}

public sealed record DueEntry(
    string Bucket, string RowKey, string ETag, DueKind Kind, string Lifecycle, string InstanceId, DateTimeOffset Due);
