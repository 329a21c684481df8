using System.Collections.Concurrent;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Notifications;

/// <summary>How a user is reached: the phone they signed in with, the language they read, the email receipts go to
/// once they proved it is theirs, and an email waiting for its code.</summary>
public sealed record UserProfile(
    string UserId,
    string? Phone,
    string? Language,
    string? Email,
    PendingEmail? Pending,
    string? ETag = null);

/// <param name="CodeHash">The verification code's hash; the code is only ever in the email.</param>
public sealed record PendingEmail(string Email, string CodeHash, DateTimeOffset ExpiresAt, int FailedAttempts);

/// <summary>A row per user. Written with its ETag, so two changes at once do not lose one.</summary>
public sealed class UserProfiles(ITableStore tables, TimeProvider clock)
{
    public const string Table = "Users";
    private const string Row = "profile";

    /// <summary>How long a profile read for a notice is reused: a ride sends dozens of notices to the same people.</summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromMinutes(1);

    private const int ReuseCapacity = 100_000;

    private readonly ConcurrentDictionary<string, Recent> _recent = new(StringComparer.Ordinal);

    /// <summary>The profile as read at most <see cref="ReuseFor"/> ago (a change saved by this process shows at once;
    /// one saved by another within that minute). Callers that miss together share one read: a booking's notice goes
    /// to every driver it was offered to, and many bookings open at once.</summary>
    public async Task<UserProfile?> FindRecentAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!_recent.TryGetValue(userId, out var recent) || !recent.FreshAt(now))
        {
            if (_recent.Count >= ReuseCapacity)
            {
                _recent.Clear();
            }

            var started = new Recent(new Lazy<Task<UserProfile?>>(() => FindAsync(userId, CancellationToken.None)), now);
            recent = _recent.AddOrUpdate(userId, started, (_, current) => current.FreshAt(now) ? current : started);
        }

        try
        {
            return await recent.Read.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // A failed read is not reused: the next caller reads again.
            _recent.TryRemove(new KeyValuePair<string, Recent>(userId, recent));
            throw;
        }
    }

    /// <summary>A read of a profile, begun at <paramref name="ReadAt"/>; lazy, so only the caller whose read was
    /// kept starts it.</summary>
    private sealed record Recent(Lazy<Task<UserProfile?>> Read, DateTimeOffset ReadAt)
    {
        public bool FreshAt(DateTimeOffset now) => now - ReadAt < ReuseFor && !(Read.IsValueCreated && Read.Value.IsFaulted);
    }

    public async Task<UserProfile?> FindAsync(string userId, CancellationToken ct)
    {
        if (await tables.GetAsync(Table, userId, Row, ct) is not { } row)
        {
            return null;
        }

        var pending = row.GetString("PendingEmail") is { Length: > 0 } email
            ? new PendingEmail(email, row.GetString("PendingCodeHash")!, row.GetTime("PendingExpiresAt")!.Value, (int)row.GetLong("PendingFailedAttempts"))
            : null;
        return new UserProfile(userId, row.GetString("Phone"), Empty(row.GetString("Language")), Empty(row.GetString("Email")), pending, row.ETag);
    }

    /// <summary>A new user's profile (sign-in made the user): its phone. An existing row is left as it is.</summary>
    public async Task CreateAsync(string userId, string phone, CancellationToken ct)
    {
        _recent.TryRemove(userId, out _);
        await tables.WriteAsync(Table, TableOperation.Insert(new TableRow(userId, Row, new Dictionary<string, object?> { ["Phone"] = phone })), ct);
    }

    /// <summary>Erases the profile: phone, language, email and any email waiting for its code.</summary>
    public async Task DeleteAsync(string userId, CancellationToken ct)
    {
        _recent.TryRemove(userId, out _);
        await tables.WriteAsync(Table, TableOperation.Delete(userId, Row), ct);
    }

    /// <returns>False when another change was saved since <paramref name="profile"/> was read.</returns>
    public async Task<bool> SaveAsync(UserProfile profile, CancellationToken ct)
    {
        var row = new TableRow(profile.UserId, Row, new Dictionary<string, object?>
        {
            ["Phone"] = profile.Phone,
            ["Language"] = profile.Language ?? "",
            ["Email"] = profile.Email ?? "",
            ["PendingEmail"] = profile.Pending?.Email ?? "",
            ["PendingCodeHash"] = profile.Pending?.CodeHash ?? "",
            ["PendingExpiresAt"] = profile.Pending?.ExpiresAt,
            ["PendingFailedAttempts"] = profile.Pending?.FailedAttempts ?? 0,
        });
        _recent.TryRemove(profile.UserId, out _);
        var write = await tables.WriteAsync(
            Table, profile.ETag is { } etag ? TableOperation.Replace(row, etag) : TableOperation.Insert(row), ct);
        return write.Status switch
        {
            TableWriteStatus.Ok => true,
            TableWriteStatus.PreconditionFailed or TableWriteStatus.Conflict or TableWriteStatus.NotFound => false,
            _ => throw new InvalidOperationException($"Saving the profile of {profile.UserId} failed: {write.Status}."),
        };
    }

    private static string? Empty(string? value) => value is { Length: > 0 } ? value : null;
}
