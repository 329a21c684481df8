using Atlas.Core.Common;

namespace Atlas.Core.Auth;

public sealed class SessionDecider(SessionRules rules) : Decider<Session, SessionCommand>
{
    public const string Name = "session";

    public SessionDecider()
        : this(SessionRules.Default)
    {
    }

    public override string Type => Name;

    public override Session Initial { get; } = new NoSession();

    public override SessionCommand Timeout(DateTimeOffset deadline) => new SessionTimedOut(deadline);

    public override Decision<Session> Decide(Session state, SessionCommand command, DateTimeOffset now) => (state, command) switch
    {
        (NoSession, OpenSession open) => Decision<Session>.Accept(
            new ActiveSession(open.UserId, open.Phone, now, 1, open.TokenHash, now), null),
        (_, OpenSession) => Decision<Session>.Ignore(),

        // An older generation again: someone kept a used token. Revoke, whatever secret came with it.
        (ActiveSession a, RefreshSession r) when r.Generation < a.Generation => Revoke(a, "reuse", now),
        (ActiveSession a, RefreshSession r) when !Matches(a, r.Generation, r.TokenHash) => Invalid(),
        (ActiveSession a, RefreshSession) when ExpiresAt(a) <= now =>
            Decision<Session>.Reject("session-expired", "The session has expired; sign in again."),
        (ActiveSession a, RefreshSession r) => Decision<Session>.Accept(
            a with { Generation = a.Generation + 1, TokenHash = r.NewTokenHash, RefreshedAt = now }, null),

        (ActiveSession a, EndSession e) when e.Generation < a.Generation => Revoke(a, "reuse", now),
        (ActiveSession a, EndSession e) when Matches(a, e.Generation, e.TokenHash) => Revoke(a, "logout", now),
        (ActiveSession, EndSession) => Invalid(),

        (RevokedSession, EndSession) => Decision<Session>.Ignore(),
        (RevokedSession, RefreshSession) => Decision<Session>.Reject("session-revoked", "The session was ended; sign in again."),
        (NoSession, RefreshSession or EndSession) => Invalid(),

        (_, SessionTimedOut) => Decision<Session>.Ignore(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };

    /// <summary>The earlier of the absolute and the idle expiry.</summary>
    public DateTimeOffset ExpiresAt(ActiveSession session)
    {
        var absolute = session.StartedAt + rules.AbsoluteLifetime;
        var idle = session.RefreshedAt + rules.IdleLifetime;
        return absolute < idle ? absolute : idle;
    }

    private static bool Matches(ActiveSession active, int generation, string tokenHash) =>
        generation == active.Generation && ConstantTime.AreEqual(active.TokenHash, tokenHash);

    private static Decision<Session> Revoke(ActiveSession active, string reason, DateTimeOffset now) =>
        Decision<Session>.Accept(new RevokedSession(active.UserId, now, reason), null);

    private static Decision<Session> Invalid() =>
        Decision<Session>.Reject("invalid-refresh-token", "The refresh token is not valid.");
}
