using Atlas.Functions.Storage;

namespace Atlas.Functions.Notifications.Providers;

/// <summary>A text as operators see it: what it carried (never its body), to whom (masked), and how delivery went.</summary>
public sealed record SmsRecord(string Sid, string Kind, string To, string Status, string? ErrorCode, DateTimeOffset SentAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Every text Twilio took or refused, by message sid, with the status its callbacks report. Statuses only move forward
/// (callbacks can arrive out of order: a late "sent" does not undo "delivered").
/// </summary>
public sealed class SmsLog(ITableStore tables, TimeProvider clock)
{
    public const string Table = "SmsMessages";
    private const string Partition = "sms";

    private static readonly string[] Order = ["accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered", "failed", "refused"];

    public Task SentAsync(string sid, SmsMessage message, string? status, CancellationToken ct) =>
        WriteAsync(sid, message, status ?? "queued", null, ct);

    public Task RefusedAsync(string key, SmsMessage message, int code, CancellationToken ct) =>
        WriteAsync("refused-" + Uri.EscapeDataString(key), message, "refused", code.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);

    /// <returns>Whether the status moved forward (false for a sid this app never sent, or a status it had already passed).</returns>
    public async Task<bool> UpdateAsync(string sid, string status, string? errorCode, CancellationToken ct)
    {
        while (true)
        {
            if (await tables.GetAsync(Table, Partition, sid, ct) is not { } row)
            {
                return false;
            }

            if (Rank(status) <= Rank(row.GetString("Status")))
            {
                return false;
            }

            var update = new TableRow(Partition, sid, new Dictionary<string, object?> { ["Status"] = status, ["ErrorCode"] = errorCode, ["UpdatedAt"] = clock.GetUtcNow() });
            if ((await tables.WriteAsync(Table, TableOperation.Merge(update, row.ETag!), ct)).Status != TableWriteStatus.PreconditionFailed)
            {
                return true;
            }
        }
    }

    /// <summary>A page of texts, those with <paramref name="status"/> only when one is given.</summary>
    public async Task<(IReadOnlyList<SmsRecord> Items, string? Next)> ListAsync(string? status, string? after, int take, CancellationToken ct)
    {
        var items = new List<SmsRecord>();
        var cursor = after;
        while (items.Count < take)
        {
            var rows = await tables.QueryPageAsync(Table, Partition, "", cursor, 200, ct);
            foreach (var row in rows)
            {
                cursor = row.RowKey;
                if (status is null || row.GetString("Status") == status)
                {
                    items.Add(Read(row));
                    if (items.Count == take)
                    {
                        return (items, cursor);
                    }
                }
            }

            if (rows.Count < 200)
            {
                return (items, null);
            }
        }

        return (items, cursor);
    }

    /// <summary>A phone as operators may see it: the country code and the last two digits.</summary>
    public static string Mask(string phone) =>
        phone.Length <= 6 ? "•••" : phone[..3] + new string('•', phone.Length - 5) + phone[^2..];

    private async Task WriteAsync(string sid, SmsMessage message, string status, string? errorCode, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await tables.WriteAsync(
            Table,
            TableOperation.Upsert(new TableRow(Partition, sid, new Dictionary<string, object?>
            {
                ["Kind"] = message.Kind,
                ["To"] = Mask(message.To),
                ["Status"] = status,
                ["ErrorCode"] = errorCode,
                ["SentAt"] = now,
                ["UpdatedAt"] = now,
            })),
            ct);
    }

    private static SmsRecord Read(TableRow row) => new(
        row.RowKey, row.GetString("Kind")!, row.GetString("To")!, row.GetString("Status")!, row.GetString("ErrorCode"), row.GetTime("SentAt")!.Value, row.GetTime("UpdatedAt")!.Value);

    private static int Rank(string? status) => Array.IndexOf(Order, status);
}
