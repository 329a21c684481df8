using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Drivers;
using Atlas.Core.Privacy;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Privacy;

/// <summary>
/// The right to erasure: <c>DELETE /api/me</c>, confirmed by a fresh code (start a sign-in challenge for your own phone,
/// POST /api/auth/otp, and send its id and the texted code). The phone stops naming the user at once, so it signs up
/// afresh as a new user; the rest is erased within moments by <see cref="UserErasure"/>. Refused, saying why, while a
/// ride, a booking or money is still under way (<see cref="ErasureRules"/>).
/// </summary>
public static class ErasureFunctions
{
    public sealed record EraseRequest([property: Required] string? ChallengeId, [property: Required] string? Code);

    /// <param name="Status">erasing: the account is gone and the rest is being erased; erased: all done.</param>
    public sealed record ErasureResponse(string UserId, string Status, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt);

    /// <summary>What an access token issued before its account's erasure gets from anything that would store
    /// personal data again (the token outlives the erasure by up to its lifetime).</summary>
    public static IResult Erased() => Problems.Unauthorized("account-erased", "This account was erased; signing in again starts a new one.");

    [Function("EraseMe")]
    [SignedIn]
    [Responds(StatusCodes.Status202Accepted, typeof(ErasureResponse))]
    [Responds(StatusCodes.Status404NotFound)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> EraseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me")] HttpRequest http,
        [Body] EraseRequest request,
        Caller caller,
        Lifecycle<Account, AccountCommand> accounts,
        Lifecycle<DriverDuty, DriverDutyCommand> duties,
        CodeConfirmation confirmation,
        ErasureChecks checks,
        Erasures erasures,
        TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ChallengeId is not { } challengeId || !LifecycleKeys.IsValidId(challengeId))
        {
            errors["challengeId"] = ["challengeId is the id POST /api/auth/otp returned for your own phone."];
        }

        if (!SignInCodes.IsWellFormed(request.Code))
        {
            errors["code"] = [$"The code is the {SignInCodes.Length} digits texted for that challenge."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var phone = PhoneNumber.FromStored(caller.Phone);
        var (account, _) = await accounts.GetAsync(phone.Digits, ct);
        if (account.UserId != caller.UserId)
        {
            // Erased already: a retry, or a token that outlived the erasure.
            return Results.Accepted(value: View(await erasures.FindAsync(caller.UserId, ct) ?? new Erasure(caller.UserId, clock.GetUtcNow(), null)));
        }

        // The rules first: a refusal leaves the code unused, to try again once the ride or the payout is done.
        if (ErasureRules.Refusal(await checks.ReadAsync(caller.UserId, phone, account, ct)) is { } refusal)
        {
            return Problems.Rejected(refusal);
        }

        if (await confirmation.ConfirmAsync(request.ChallengeId!, request.Code!, phone, ct) is { } wrong)
        {
            return wrong;
        }

        // A driver's own instance decides, under its ETag, that no ride is theirs from now on (one may have come since).
        if (account.Membership is { Role: Role.Driver } driver
            && Problems.Failure(await duties.ExecuteAsync(driver.MemberId, new RetireDriver(), ct)) is { } busy)
        {
            return busy;
        }

        var erased = await accounts.ExecuteAsync(phone.Digits, new EraseAccount(caller.UserId, phone.Value), ct);
        if (Problems.Failure(erased) is { } failed)
        {
            return failed;
        }

        var now = clock.GetUtcNow();
        await erasures.RecordAsync(caller.UserId, now, ct);
        return Results.Accepted(value: View(new Erasure(caller.UserId, now, null)));
    }

    private static ErasureResponse View(Erasure erasure) =>
        new(erasure.UserId, erasure.CompletedAt is null ? "erasing" : "erased", erasure.RequestedAt, erasure.CompletedAt);
}
