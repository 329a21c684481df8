using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Auth;

/// <summary>Refresh (rotating), log out (the whole family), and who am I.</summary>
public static class SessionFunctions
{
    public sealed record RefreshRequest([property: Required] string? RefreshToken);

    [Function("RefreshSession")]
    [Anyone]
    [RateLimit(RateLimits.SignIn)]
    [Responds(StatusCodes.Status200OK, typeof(SessionResponse))]
    [Responds(StatusCodes.Status401Unauthorized)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> RefreshAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/refresh")] HttpRequest http,
        [Body] RefreshRequest request,
        Lifecycle<Session, SessionCommand> sessions,
        SessionIssuer issuer,
        RandomSource random,
        ILogger<SessionIssuer> logger,
        CancellationToken ct)
    {
        if (!RefreshToken.TryParse(request.RefreshToken, out var presented))
        {
            return Problems.Validation("refreshToken", "refreshToken is the refresh token of a session.");
        }

        var next = RefreshToken.New(random, presented.SessionId, presented.Generation + 1);
        var result = await sessions.ExecuteAsync(
            presented.SessionId, new RefreshSession(presented.Generation, presented.SecretHash, next.SecretHash), ct);
        return result switch
        {
            { Status: CommandStatus.Applied, State: ActiveSession active } when active.Generation == next.Generation =>
                await issuer.IssueAsync(active.UserId, PhoneNumber.FromStored(active.Phone), next, ct) is { } issued
                    ? Results.Ok(issued)
                    : Problems.Unauthorized("account-erased", "This account was erased; signing in again starts a new one."),
            { Status: CommandStatus.Applied, State: RevokedSession } => Reused(logger, presented.SessionId),
            { Status: CommandStatus.Rejected } => Problems.Unauthorized(result.Rejection!.Code, result.Rejection.Reason),
            _ => Problems.Contended(),
        };
    }

    private static IResult Reused(ILogger logger, string sessionId)
    {
        // A used token came back: it leaked, or an app retried badly. Either way someone should be able to see it.
        logger.LogWarning("A used refresh token of session {SessionId} was presented again; the session is revoked", sessionId);
        return Problems.Unauthorized(
            "refresh-token-reused", "This refresh token was already used, so every session of this sign-in is now ended.");
    }

    [Function("Logout")]
    [Anyone]
    [RateLimit(RateLimits.SignIn)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status401Unauthorized)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> LogoutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/logout")] HttpRequest http,
        [Body] RefreshRequest request, Lifecycle<Session, SessionCommand> sessions, CancellationToken ct)
    {
        if (!RefreshToken.TryParse(request.RefreshToken, out var presented))
        {
            return Problems.Validation("refreshToken", "refreshToken is the refresh token of a session.");
        }

        var result = await sessions.ExecuteAsync(presented.SessionId, new EndSession(presented.Generation, presented.SecretHash), ct);
        return result.Status switch
        {
            CommandStatus.Applied or CommandStatus.Unchanged => Results.NoContent(),
            CommandStatus.Rejected => Problems.Unauthorized(result.Rejection!.Code, result.Rejection.Reason),
            _ => Problems.Contended(),
        };
    }

    /// <summary>The caller as the account stands now (a role given since the token was issued shows here).</summary>
    [Function("GetMe")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(Me))]
    public static async Task<IResult> GetMeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest http,
        Caller caller, Lifecycle<Account, AccountCommand> accounts, SessionIssuer issuer, CancellationToken ct)
    {
        var phone = PhoneNumber.FromStored(caller.Phone);
        var (account, _) = await accounts.GetAsync(phone.Digits, ct);
        return Results.Ok(Me.From(issuer.CallerFor(caller.UserId, caller.SessionId, phone, account)));
    }
}
