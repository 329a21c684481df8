using Atlas.Core.Common;

namespace Atlas.Core.Auth;

public sealed class ChallengeDecider(ChallengeRules rules) : Decider<Challenge, ChallengeCommand>
{
    public const string Name = "signin";

    public ChallengeDecider()
        : this(ChallengeRules.Default)
    {
    }

    public static Rejection NotFound { get; } = new("challenge-not-found", "There is no such sign-in challenge.");

    public static Rejection Used { get; } = new("challenge-used", "This code has already been used; start again.");

    public static Rejection Expired { get; } = new("challenge-expired", "This code has expired; start again.");

    public static Rejection Burned { get; } = new("challenge-burned", "Too many wrong codes; start again.");

    public ChallengeRules Rules => rules;

    public override string Type => Name;

    public override Challenge Initial { get; } = new NoChallenge();

    public override ChallengeCommand Timeout(DateTimeOffset deadline) => new ChallengeTimedOut(deadline);

    public override Decision<Challenge> Decide(Challenge state, ChallengeCommand command, DateTimeOffset now) => (state, command) switch
    {
        (NoChallenge, StartChallenge start) => Send(start.Phone, start.CodeHash, start.SealedCode, sends: 1, failed: 0, now),
        (_, StartChallenge) => Decision<Challenge>.Ignore(),

        // The code stops working at its expiry: checked when a code arrives, so the challenge needs no timer (a durable
        // timer per sign-in would cost more than the sign-in itself; docs/lifecycles.md).
        (PendingChallenge p, ResendCode or VerifyCode) when now >= p.ExpiresAt => Expire(p, now),

        (PendingChallenge p, ResendCode) when p.Sends > rules.MaxResends => Decision<Challenge>.Reject(
            "resend-limit", $"At most {rules.MaxResends} new codes can be sent for one sign-in; start again."),
        (PendingChallenge p, ResendCode) when now < p.SentAt + rules.ResendCooldown => Decision<Challenge>.Reject(
            "resend-too-soon", $"A new code can be sent {rules.ResendCooldown.TotalSeconds:0} seconds after the last one."),
        (PendingChallenge p, ResendCode resend) => Send(p.Phone, resend.CodeHash, resend.SealedCode, p.Sends + 1, p.FailedAttempts, now),

        (PendingChallenge p, VerifyCode verify) when ConstantTime.AreEqual(p.CodeHash, verify.CodeHash) =>
            Decision<Challenge>.Accept(new VerifiedChallenge(p.Phone, now), null),
        (PendingChallenge p, VerifyCode) when p.FailedAttempts + 1 >= rules.MaxFailedAttempts =>
            Decision<Challenge>.Accept(new BurnedChallenge(p.Phone, now), null),
        (PendingChallenge p, VerifyCode) => Decision<Challenge>.Accept(p with { FailedAttempts = p.FailedAttempts + 1 }, null),

        // Nothing arms one; a timeout sent all the same counts only if it is this code's expiry and it has come.
        (PendingChallenge p, ChallengeTimedOut t) when t.Deadline == p.ExpiresAt && now >= p.ExpiresAt => Expire(p, now),
        (_, ChallengeTimedOut) => Decision<Challenge>.Ignore(),

        (NoChallenge, _) => new Decision<Challenge>.Rejected(NotFound),
        (VerifiedChallenge, _) => new Decision<Challenge>.Rejected(Used),
        (ExpiredChallenge, _) => new Decision<Challenge>.Rejected(Expired),
        (BurnedChallenge, _) => new Decision<Challenge>.Rejected(Burned),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };

    /// <summary>How many more wrong codes the challenge takes before it burns.</summary>
    public int AttemptsLeft(PendingChallenge pending) => rules.MaxFailedAttempts - pending.FailedAttempts;

    private Decision<Challenge> Send(string phone, string codeHash, string sealedCode, int sends, int failed, DateTimeOffset now)
    {
        var expiresAt = now + rules.CodeLifetime;
        return Decision<Challenge>.Accept(
            new PendingChallenge(phone, codeHash, expiresAt, now, sends, failed), null, new SendSignInCode(phone, sealedCode));
    }

    private static Decision<Challenge> Expire(PendingChallenge pending, DateTimeOffset now) =>
        Decision<Challenge>.Accept(new ExpiredChallenge(pending.Phone, now), null);
}
