using System.Globalization;
using Atlas.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The safety net under the outbox: one row per commit that filled an outbox, partitioned by the minute its relay
/// becomes overdue. It is written before the commit and removed once the fast path has relayed and the outbox rows are
/// gone (<see cref="RelayedOutboxes"/>), so a crash in between leaves a row the scan finds (and a row left stale only
/// relays an empty outbox). The scan reads only buckets up to now, never the instances themselves. Rows are written in batches per bucket (<see cref="RelayRowWriter"/>).
/// </summary>
public sealed class RelayIndex(ITableStore tables, IOptions<LifecycleOptions> options, ILogger<RelayIndex> logger) : IDisposable
{
    public const string Table = "LifecycleRelays";

    private readonly RelayRowWriter _writer = new(tables, Table, options.Value.RelayCleanupDelay, logger);

    /// <summary>If the fast path of the commit that makes <paramref name="version"/> has not finished by
    /// <paramref name="at"/>, the scan relays.</summary>
    public async Task<RelayEntry> ScheduleAsync(string type, string id, long version, DateTimeOffset at, CancellationToken ct)
    {
        var row = new TableRow(
            Bucket(at),
            RowKey(type, id, version, at),
            new Dictionary<string, object?> { ["Lifecycle"] = type, ["InstanceId"] = id, ["DueTicks"] = at.UtcTicks });
        await _writer.UpsertAsync(row, ct);
        return ToEntry(row);
    }

    /// <summary>The fast path has relayed and the outbox rows are deleted: the row goes with the next batch of its
    /// bucket. A row of its own per commit (the version is in its key), so no later commit's row is deleted with it.</summary>
    public void Finished(RelayEntry entry) => _writer.Delete(entry.Bucket, entry.RowKey);

    /// <summary>The rows due by <paramref name="now"/>, after the rows this process has finished with are gone.</summary>
    public async Task<IReadOnlyList<RelayEntry>> ListDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        await _writer.FlushAsync(ct);
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

    /// <summary>Removes a row the scan handled, unless it was written again since it was read (its ETag moved on).</summary>
    public Task CompleteAsync(RelayEntry entry, CancellationToken ct) =>
        tables.WriteAsync(Table, TableOperation.Delete(entry.Bucket, entry.RowKey, entry.ETag), ct);

    public static string Bucket(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string TickKey(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    private static string RowKey(string type, string id, long version, DateTimeOffset due) =>
        string.Create(CultureInfo.InvariantCulture, $"{TickKey(due.UtcTicks)}|{type}|{id}|{version}");

    private static RelayEntry ToEntry(TableRow row) => new(
        row.PartitionKey,
        row.RowKey,
        row.ETag ?? "*",
        row.GetString("Lifecycle")!,
        row.GetString("InstanceId")!,
        new DateTimeOffset(row.GetLong("DueTicks"), TimeSpan.Zero));

    public void Dispose() => _writer.Dispose();
}

public sealed record RelayEntry(string Bucket, string RowKey, string ETag, string Lifecycle, string InstanceId, DateTimeOffset Due);
