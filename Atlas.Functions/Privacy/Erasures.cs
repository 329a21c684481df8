using Atlas.Functions.Notifications;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Privacy;

/// <summary>When a user was erased: asked for, and done (every store cleared).</summary>
public sealed record Erasure(string UserId, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt);

/// <summary>
/// That a user was erased, kept for good as a row "erasure" in the user's partition of the Users table: it names no
/// one (the user id alone), answers a retried request, and refuses an access token issued before the erasure (it
/// outlives it by up to its lifetime) anything that would store personal data again.
/// </summary>
public sealed class Erasures(ITableStore tables)
{
    private const string Row = "erasure";

    /// <summary>Records the request; one recorded before stays as it was.</summary>
    public async Task RecordAsync(string userId, DateTimeOffset requestedAt, CancellationToken ct) =>
        await tables.WriteAsync(
            UserProfiles.Table, TableOperation.Insert(new TableRow(userId, Row, new Dictionary<string, object?> { ["RequestedAt"] = requestedAt })), ct);

    public async Task CompleteAsync(string userId, DateTimeOffset completedAt, CancellationToken ct) =>
        await tables.WriteAsync(
            UserProfiles.Table, TableOperation.Merge(new TableRow(userId, Row, new Dictionary<string, object?> { ["CompletedAt"] = completedAt }), "*"), ct);

    public async Task<Erasure?> FindAsync(string userId, CancellationToken ct) =>
        await tables.GetAsync(UserProfiles.Table, userId, Row, ct) is { } row
            ? new Erasure(userId, row.GetTime("RequestedAt")!.Value, row.GetTime("CompletedAt"))
            : null;

    public async Task<bool> IsErasedAsync(string userId, CancellationToken ct) => await FindAsync(userId, ct) is not null;
}
