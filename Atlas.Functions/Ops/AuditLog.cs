using System.Globalization;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Ops;

/// <summary>
/// Every admin action (a replay, a discard, a refund, a settlement run, a member added or removed): who, when, what
/// and what the app answered. Rows are only ever inserted, newest first in one partition; nothing updates or deletes
/// them, and no route does.
/// </summary>
public sealed class AuditLog(ITableStore tables)
{
    public const string Table = "AuditLog";
    private const string Partition = "audit";

    public async Task RecordAsync(AuditEntry entry, CancellationToken ct)
    {
        var row = new TableRow(Partition, RowKey(entry.At, entry.Id), new Dictionary<string, object?>
        {
            ["Id"] = entry.Id,
            ["At"] = entry.At,
            ["ActorId"] = entry.ActorId,
            ["ActorPhone"] = entry.ActorPhone,
            ["ActorRole"] = entry.ActorRole,
            ["CompanyId"] = entry.CompanyId,
            ["Action"] = entry.Action,
            ["Target"] = entry.Target,
            ["Status"] = entry.Status,
            ["Outcome"] = entry.Outcome,
        });
        var write = await tables.WriteAsync(Table, TableOperation.Insert(row), ct);
        if (!write.Succeeded)
        {
            throw new InvalidOperationException($"Recording audit entry {entry.Id} failed: {write.Status}.");
        }
    }

    /// <summary>A page, newest first; the cursor is the last row's key.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Items, string? Next)> PageAsync(string? after, int take, CancellationToken ct)
    {
        var rows = await tables.QueryPageAsync(Table, Partition, "", after, take + 1, ct);
        var items = rows.Take(take).ToList();
        return ([.. items.Select(Entry)], rows.Count > take ? items[^1].RowKey : null);
    }

    private static AuditEntry Entry(TableRow row) => new(
        row.GetString("Id")!,
        row.GetTime("At") ?? default,
        row.GetString("ActorId")!,
        row.GetString("ActorPhone")!,
        row.GetString("ActorRole")!,
        row.GetString("CompanyId"),
        row.GetString("Action")!,
        row.GetString("Target")!,
        (int)row.GetLong("Status"),
        row.GetString("Outcome"));

    /// <summary>Inverted ticks first, so the partition reads newest first.</summary>
    private static string RowKey(DateTimeOffset at, string id) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{id}");
}

/// <param name="Action">What was done, e.g. <c>poison.replay</c>.</param>
/// <param name="Target">The request it was done by: method and path.</param>
/// <param name="Status">The HTTP status the app answered.</param>
/// <param name="Outcome">The answer in words: a problem's title and detail, or "done".</param>
public sealed record AuditEntry(
    string Id, DateTimeOffset At, string ActorId, string ActorPhone, string ActorRole, string? CompanyId, string Action, string Target, int Status, string? Outcome);
