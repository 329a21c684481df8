using System.Text.Json.Serialization;

namespace Atlas.Core.Auth;

// A session family: everything that descends from one sign-in by refreshing. Each refresh token is used once
// and replaced by the next generation; showing a used one again means it leaked, so the family is revoked.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "status")]
[JsonDerivedType(typeof(NoSession), "none")]
[JsonDerivedType(typeof(ActiveSession), "active")]
[JsonDerivedType(typeof(RevokedSession), "revoked")]
public abstract record Session;

public sealed record NoSession : Session;

/// <param name="TokenHash">The hash of the current generation's refresh token secret.</param>
public sealed record ActiveSession(
    string UserId, string Phone, DateTimeOffset StartedAt, int Generation, string TokenHash, DateTimeOffset RefreshedAt) : Session;

public sealed record RevokedSession(string UserId, DateTimeOffset RevokedAt, string Reason) : Session;

public abstract record SessionCommand;

public sealed record OpenSession(string UserId, string Phone, string TokenHash) : SessionCommand;

public sealed record RefreshSession(int Generation, string TokenHash, string NewTokenHash) : SessionCommand;

/// <summary>Log out with a refresh token of the family.</summary>
public sealed record EndSession(int Generation, string TokenHash) : SessionCommand;

public sealed record SessionTimedOut(DateTimeOffset Deadline) : SessionCommand;

public sealed record SessionRules(TimeSpan AbsoluteLifetime, TimeSpan IdleLifetime)
{
    public static SessionRules Default { get; } = new(TimeSpan.FromDays(30), TimeSpan.FromDays(7));
}
