using Atlas.Functions.Auth;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Notifications.Providers;

/// <summary>A text as operators see it: what it carried (never its body), to whom (masked), and how delivery went.</summary>
public sealed record SmsRecord(string Sid, string Kind, string To, string Status, string? ErrorCode, DateTimeOffset SentAt, DateTimeOffset UpdatedAt);

/// <summary>What a user may see of a text sent to them: what it carried, when, and how delivery went.</summary>
public sealed record SmsSent(string Kind, DateTimeOffset SentAt, string Status);

/// <summary>
/// Every text Twilio took or refused, by message sid, with the status its callbacks report. Statuses only move forward
/// (callbacks can arrive out of order: a late "sent" does not undo "delivered"). Beside each, a row in the partition of
/// the phone's key (<see cref="PhoneKeys"/>, never the phone) lists it for that phone's owner's export; an erasure
/// deletes those, so the texts no longer lead to anyone.
/// </summary>
public sealed class SmsLog(ITableStore tables, PhoneKeys phones, TimeProvider clock)
{
    public const string Table = "SmsMessages";
    private const string Partition = "sms";
    private const string PhonePrefix = "to|";

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

    /// <summary>The texts sent to a phone, oldest first, as its owner may see them (never the body).</summary>
    public async Task<IReadOnlyList<SmsSent>> SentToAsync(string phone, CancellationToken ct)
    {
        List<SmsSent> texts = [];
        foreach (var sid in await SidsAsync(phone, ct))
        {
            if (await tables.GetAsync(Table, Partition, sid, ct) is { } row)
            {
                texts.Add(new SmsSent(row.GetString("Kind")!, row.GetTime("SentAt")!.Value, row.GetString("Status")!));
            }
        }

        return [.. texts.OrderBy(t => t.SentAt)];
    }

    /// <summary>Unlinks the phone's texts from it: they stay, masked, until the retention purge.</summary>
    public async Task ForgetPhoneAsync(string phone, CancellationToken ct)
    {
        var partition = PhonePrefix + phones.Of(phone);
        foreach (var sid in await SidsAsync(phone, ct))
        {
            await tables.WriteAsync(Table, TableOperation.Delete(partition, sid), ct);
        }
    }

    private async Task<IReadOnlyList<string>> SidsAsync(string phone, CancellationToken ct)
    {
        List<string> sids = [];
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(Table, PhonePrefix + phones.Of(phone), null, continuation, 1000, ct);
            sids.AddRange(page.Rows.Select(r => r.RowKey));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return sids;
    }

    /// <summary>A phone as operators may see it: the country code and the last two digits.</summary>
    public static string Mask(string phone) =>
        phone.Length <= 6 ? "•••" : phone[..3] + new string('•', phone.Length - 5) + phone[^2..];

    private async Task WriteAsync(string sid, SmsMessage message, string status, string? errorCode, CancellationToken ct)
    {
        var now = clock.GetUtcNow();

        // The phone's row first: a text is never listed where its owner's export cannot find it.
        await tables.WriteAsync(
            Table,
            TableOperation.Upsert(new TableRow(PhonePrefix + phones.Of(message.To), sid, new Dictionary<string, object?> { ["SentAt"] = now })),
            ct);
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
