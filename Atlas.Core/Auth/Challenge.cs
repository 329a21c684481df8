using System.Text.Json.Serialization;
using Atlas.Core.Common;

namespace Atlas.Core.Auth;

// A sign-in challenge: a one-time code sent by SMS to a phone, single use, expiring, burned by wrong guesses.
// The code itself never reaches the state: only its HMAC (to check a guess) and, in the SMS effect, the code
// sealed under a server key (so the queue and outbox hold nothing a reader of storage could use).

[JsonPolymorphic(TypeDiscriminatorPropertyName = "status")]
[JsonDerivedType(typeof(NoChallenge), "none")]
[JsonDerivedType(typeof(PendingChallenge), "pending")]
[JsonDerivedType(typeof(VerifiedChallenge), "verified")]
[JsonDerivedType(typeof(ExpiredChallenge), "expired")]
[JsonDerivedType(typeof(BurnedChallenge), "burned")]
public abstract record Challenge;

public sealed record NoChallenge : Challenge;

/// <param name="Sends">How many codes went out: the first and each resend.</param>
public sealed record PendingChallenge(
    string Phone, string CodeHash, DateTimeOffset ExpiresAt, DateTimeOffset SentAt, int Sends, int FailedAttempts) : Challenge;

public sealed record VerifiedChallenge(string Phone, DateTimeOffset VerifiedAt) : Challenge;

public sealed record ExpiredChallenge(string Phone, DateTimeOffset ExpiredAt) : Challenge;

public sealed record BurnedChallenge(string Phone, DateTimeOffset BurnedAt) : Challenge;

public abstract record ChallengeCommand;

public sealed record StartChallenge(string Phone, string CodeHash, string SealedCode) : ChallengeCommand;

/// <summary>A new code replaces the old one and gets a fresh lifetime.</summary>
public sealed record ResendCode(string CodeHash, string SealedCode) : ChallengeCommand;

public sealed record VerifyCode(string CodeHash) : ChallengeCommand;

public sealed record ChallengeTimedOut(DateTimeOffset Deadline) : ChallengeCommand;

/// <summary>Send the code by SMS. <paramref name="SealedCode"/> only the server can open.</summary>
public sealed record SendSignInCode(string Phone, string SealedCode) : Effect;

public sealed record ChallengeRules(TimeSpan CodeLifetime, int MaxFailedAttempts, TimeSpan ResendCooldown, int MaxResends)
{
    public static ChallengeRules Default { get; } = new(TimeSpan.FromMinutes(5), 5, TimeSpan.FromSeconds(30), 3);
}
