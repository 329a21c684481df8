using System.Globalization;
using Atlas.Functions.Companies;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Bookings;

/// <summary>
/// Who sees which bookings in their list: a partition per user ("user|…": what they booked, or as a driver were
/// assigned) and per company ("company|…": what its dispatchers booked or its drivers were assigned), a row per
/// booking, newest first. Rows are written with the same keys on every retry, so writing twice changes nothing.
/// </summary>
public sealed class BookingIndex(ITableStore tables)
{
    public const string Table = "BookingIndex";

    public static string ForUser(string userId) => "user|" + userId;

    public static string ForCompany(string companyId) => "company|" + companyId;

    public async Task AddAsync(IEnumerable<string> lists, string bookingId, DateTimeOffset bookedAt, CancellationToken ct)
    {
        var rowKey = RowKey(bookingId, bookedAt);
        await Task.WhenAll(lists.Distinct(StringComparer.Ordinal).Select(list => tables.WriteAsync(
            Table, TableOperation.Upsert(new TableRow(list, rowKey, new Dictionary<string, object?> { ["BookingId"] = bookingId })), ct)));
    }

    /// <summary>A page of booking ids, newest first; the cursor is the last row's key.</summary>
    public async Task<Page<string>> PageAsync(string list, string? after, int take, CancellationToken ct)
    {
        var rows = await tables.QueryPageAsync(Table, list, "", after, take + 1, ct);
        var items = rows.Take(take).ToList();
        return new Page<string>(items.Select(r => r.GetString("BookingId")!).ToList(), rows.Count > take ? items[^1].RowKey : null);
    }

    /// <summary>Every booking id of a list, newest first (a user's, for their export or erasure).</summary>
    public async Task<IReadOnlyList<string>> AllAsync(string list, CancellationToken ct)
    {
        List<string> ids = [];
        for (string? after = null; ;)
        {
            var page = await PageAsync(list, after, 1000, ct);
            ids.AddRange(page.Items);
            if ((after = page.Next) is null)
            {
                return ids;
            }
        }
    }

    /// <summary>Inverted ticks first, so a partition reads newest first.</summary>
    private static string RowKey(string bookingId, DateTimeOffset bookedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - bookedAt.UtcTicks:D19}-{bookingId}");
}
