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
public sealed class UserProfiles(ITableStore tables)
{
    public const string Table = "Users";
    private const string Row = "profile";

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
    public async Task CreateAsync(string userId, string phone, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Insert(new TableRow(userId, Row, new Dictionary<string, object?> { ["Phone"] = phone })), ct);

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
