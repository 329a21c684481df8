using Atlas.Core.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Auth;

/// <summary>
/// A sign-in code used to confirm something other than a sign-in (erasing the account): the code of a challenge
/// started for the caller's own phone, checked and used up exactly as a sign-in uses it, so it confirms one thing once.
/// </summary>
public sealed class CodeConfirmation(Lifecycle<Challenge, ChallengeCommand> challenges, ChallengeDecider rules, SignInCodes codes)
{
    public static Core.Common.Rejection OtherPhone { get; } = new(
        "challenge-for-another-phone", "The code must come from a sign-in challenge started for your own phone (POST /api/auth/otp).");

    /// <returns>Null when the code was right and is now used up; otherwise the problem to answer.</returns>
    public async Task<IResult?> ConfirmAsync(string challengeId, string code, PhoneNumber phone, CancellationToken ct)
    {
        var (challenge, _) = await challenges.GetAsync(challengeId, ct);
        if (PhoneOf(challenge) is { } other && other != phone.Value)
        {
            return Problems.Rejected(OtherPhone);
        }

        var verified = await challenges.ExecuteAsync(challengeId, new VerifyCode(codes.Hash(challengeId, code)), ct);
        return verified switch
        {
            { Status: CommandStatus.Applied, State: VerifiedChallenge v } when v.Phone == phone.Value => null,
            { Status: CommandStatus.Applied, State: VerifiedChallenge } => Problems.Rejected(OtherPhone),
            { Status: CommandStatus.Applied, State: PendingChallenge p } => Problems.WrongCode(rules.AttemptsLeft(p)),
            { Status: CommandStatus.Applied, State: BurnedChallenge } => Problems.Rejected(ChallengeDecider.Burned),
            { Status: CommandStatus.Applied, State: ExpiredChallenge } => Problems.Rejected(ChallengeDecider.Expired),
            { Rejection.Code: "challenge-not-found" } => Problems.NotFound("The sign-in challenge"),
            _ => Problems.Failure(verified) ?? Problems.Contended(),
        };
    }

    private static string? PhoneOf(Challenge challenge) => challenge switch
    {
        PendingChallenge p => p.Phone,
        VerifiedChallenge v => v.Phone,
        ExpiredChallenge e => e.Phone,
        BurnedChallenge b => b.Phone,
        _ => null,
    };
}
