using Atlas.Functions.Notifications;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Auth;

/// <summary>The sessions each user opened: a row "session|{id}" in the user's partition of the Users table, written
/// before the session itself, so an export lists every one and an erasure ends every one.</summary>
public sealed class UserSessions(ITableStore tables)
{
    private const string Prefix = "session|";

    public async Task AddAsync(string userId, string sessionId, CancellationToken ct) =>
        await tables.WriteAsync(UserProfiles.Table, TableOperation.Upsert(new TableRow(userId, Prefix + sessionId, new Dictionary<string, object?>())), ct);

    /// <summary>The ids of the user's sessions (a user signs in a few times a month: they fit in memory).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string userId, CancellationToken ct)
    {
        List<string> ids = [];
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(UserProfiles.Table, userId, Prefix, continuation, 1000, ct);
            ids.AddRange(page.Rows.Select(r => r.RowKey[Prefix.Length..]));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return ids;
    }

    public async Task RemoveAsync(string userId, string sessionId, CancellationToken ct) =>
        await tables.WriteAsync(UserProfiles.Table, TableOperation.Delete(userId, Prefix + sessionId), ct);
}
