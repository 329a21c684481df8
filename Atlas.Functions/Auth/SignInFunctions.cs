using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Auth;

/// <summary>
/// Phone sign-in: start a challenge (a code goes out by SMS), resend it, verify it for a session. Starting looks
/// nothing up about the phone, so the answer is the same whether or not the number has an account.
/// </summary>
public static class SignInFunctions
{
    public sealed record StartRequest([property: Required, Description(PhoneNumber.Rule)] string? Phone);

    public sealed record ResendRequest([property: Required] string? ChallengeId);

    public sealed record VerifyRequest([property: Required] string? ChallengeId, [property: Required] string? Code);

    public sealed record ChallengeResponse(string ChallengeId, DateTimeOffset ExpiresAt, DateTimeOffset ResendAfter);

    /// <remarks>A text goes out only past the SMS guard (<see cref="SignInTexts"/>): 400 naming <c>phone</c> for a
    /// calling code texts may not go to, 429 for a calling code throttled or over its hour's budget, 503 when the
    /// hour's budget for all of them is spent.</remarks>
    [Function("StartSignIn")]
    [Anyone]
    [RateLimit(RateLimits.SignIn)]
    [Responds(StatusCodes.Status202Accepted, typeof(ChallengeResponse))]
    [Responds(StatusCodes.Status400BadRequest)]
    [Responds(StatusCodes.Status429TooManyRequests)]
    [Responds(StatusCodes.Status503ServiceUnavailable)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/otp")] HttpRequest http,
        [Body] StartRequest request,
        Lifecycle<Account, AccountCommand> accounts,
        Lifecycle<Challenge, ChallengeCommand> challenges,
        ChallengeDecider rules,
        AccountDecider accountRules,
        SignInCodes codes,
        SignInTexts texts,
        RandomSource random,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (!PhoneNumber.TryParse(request.Phone, out var phone))
        {
            return Problems.Validation("phone", PhoneNumber.Rule);
        }

        if (texts.RefuseCountry(phone) is { } refused)
        {
            return refused;
        }

        var reserved = await accounts.ExecuteAsync(phone.Digits, new ReserveChallenge(), ct);
        if (reserved.Status == CommandStatus.Rejected)
        {
            var now = clock.GetUtcNow();
            return Problems.TooManyRequests(reserved.Rejection!, (accountRules.NextChallengeAllowedAt(reserved.State, now) ?? now) - now);
        }

        if (Problems.Failure(reserved) is { } contended)
        {
            return contended;
        }

        if (await texts.AdmitAsync(phone, ct) is { } held)
        {
            return held;
        }

        var challengeId = random.NewId("ch");
        var code = codes.NewCode();
        var started = await challenges.ExecuteAsync(
            challengeId, new StartChallenge(phone.Value, codes.Hash(challengeId, code), codes.Seal(challengeId, code)), ct, isNew: true);
        return Problems.For(started, r => Results.Accepted(value: Describe(challengeId, (PendingChallenge)r.State, rules)));
    }

    /// <remarks>A new code passes the SMS guard as the first did (400 naming <c>phone</c>, 429, 503).</remarks>
    [Function("ResendSignInCode")]
    [Anyone]
    [RateLimit(RateLimits.SignIn)]
    [Responds(StatusCodes.Status202Accepted, typeof(ChallengeResponse))]
    [Responds(StatusCodes.Status400BadRequest)]
    [Responds(StatusCodes.Status429TooManyRequests)]
    [Responds(StatusCodes.Status503ServiceUnavailable)]
    [Responds(StatusCodes.Status404NotFound)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> ResendAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/otp/resend")] HttpRequest http,
        [Body] ResendRequest request,
        Lifecycle<Challenge, ChallengeCommand> challenges,
        ChallengeDecider rules,
        SignInCodes codes,
        SignInTexts texts,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (!IsChallengeId(request.ChallengeId))
        {
            return Problems.Validation("challengeId", "challengeId is the id POST /api/auth/otp returned.");
        }

        var challengeId = request.ChallengeId!;
        var code = codes.NewCode();
        var resend = new ResendCode(codes.Hash(challengeId, code), codes.Seal(challengeId, code));

        // Asked of the guard only when the challenge would send (a refused or expired resend texts nothing); the
        // command then decides again on the state it reads.
        var (state, _) = await challenges.GetAsync(challengeId, ct, cachedIsEnough: true);
        if (rules.Decide(state, resend, clock.GetUtcNow()) is Decision<Challenge>.Accepted { Effects: [SendSignInCode text] }
            && await texts.AdmitAsync(PhoneNumber.FromStored(text.Phone), ct) is { } held)
        {
            return held;
        }

        var result = await challenges.ExecuteAsync(challengeId, resend, ct);
        return result switch
        {
            { Rejection.Code: "resend-too-soon", State: PendingChallenge p } =>
                Problems.TooManyRequests(result.Rejection, p.SentAt + rules.Rules.ResendCooldown - clock.GetUtcNow()),
            { Status: CommandStatus.Applied, State: ExpiredChallenge } => Problems.Rejected(ChallengeDecider.Expired),
            _ => ForChallenge(result, r => Results.Accepted(value: Describe(challengeId, (PendingChallenge)r.State, rules))),
        };
    }

    [Function("VerifySignInCode")]
    [Anyone]
    [RateLimit(RateLimits.SignIn)]
    [Responds(StatusCodes.Status200OK, typeof(SessionResponse))]
    [Responds(StatusCodes.Status404NotFound)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> VerifyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/otp/verify")] HttpRequest http,
        [Body] VerifyRequest request,
        Lifecycle<Challenge, ChallengeCommand> challenges,
        ChallengeDecider rules,
        Lifecycle<Account, AccountCommand> accounts,
        Lifecycle<Session, SessionCommand> sessions,
        SessionIssuer issuer,
        SignInCodes codes,
        SignInTexts texts,
        RandomSource random,
        UserProfiles profiles,
        UserSessions userSessions,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsChallengeId(request.ChallengeId))
        {
            errors["challengeId"] = ["challengeId is the id POST /api/auth/otp returned."];
        }

        if (!SignInCodes.IsWellFormed(request.Code))
        {
            errors["code"] = [$"The code is the {SignInCodes.Length} digits sent by SMS."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var challengeId = request.ChallengeId!;
        var verified = await challenges.ExecuteAsync(challengeId, new VerifyCode(codes.Hash(challengeId, request.Code!)), ct);
        switch (verified)
        {
            case { Status: CommandStatus.Applied, State: PendingChallenge p }:
                return Problems.WrongCode(rules.AttemptsLeft(p));
            case { Status: CommandStatus.Applied, State: BurnedChallenge }:
                return Problems.Rejected(ChallengeDecider.Burned);
            case { Status: CommandStatus.Applied, State: ExpiredChallenge }:
                return Problems.Rejected(ChallengeDecider.Expired);
            case { Status: not CommandStatus.Applied }:
                return ForChallenge(verified, _ => Problems.Contended());
        }

        // The challenge is now used up: this request, and only this one, signs in.
        var phone = PhoneNumber.FromStored(((VerifiedChallenge)verified.State).Phone);
        await texts.VerifiedAsync(phone);
        var account = await accounts.ExecuteAsync(phone.Digits, new ClaimUser(random.NewId("usr")), ct);
        if (account.State.UserId is not { } userId)
        {
            return Problems.Contended();
        }

        if (account.Status == CommandStatus.Applied)
        {
            // A new user: their profile holds the phone notices are texted to.
            await profiles.CreateAsync(userId, phone.Value, ct);
        }

        // The user's list of sessions first: a session is never left where an export or an erasure cannot find it.
        var refresh = RefreshToken.New(random, random.NewId("ses"), 1);
        await userSessions.AddAsync(userId, refresh.SessionId, ct);
        var opened = await sessions.ExecuteAsync(refresh.SessionId, new OpenSession(userId, phone.Value, refresh.SecretHash), ct, isNew: true);
        if (opened.Status != CommandStatus.Applied)
        {
            return Problems.Contended();
        }

        return Results.Ok(issuer.Issue(userId, phone, refresh, account.State));
    }

    private static bool IsChallengeId(string? id) => id is not null && LifecycleKeys.IsValidId(id);

    private static ChallengeResponse Describe(string challengeId, PendingChallenge pending, ChallengeDecider rules) =>
        new(challengeId, pending.ExpiresAt, pending.SentAt + rules.Rules.ResendCooldown);

    private static IResult ForChallenge(CommandResult<Challenge> result, Func<CommandResult<Challenge>, IResult> success) =>
        result.Rejection?.Code == "challenge-not-found" ? Problems.NotFound("The sign-in challenge") : Problems.For(result, success);
}
