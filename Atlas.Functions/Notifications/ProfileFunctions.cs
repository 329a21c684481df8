using System.Text.RegularExpressions;
using Atlas.Core.Common;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Privacy;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Notifications;

/// <summary>
/// How the caller is reached: the language notices are written in, and the email receipts go to. A new email gets a
/// six-digit code by email and counts once the code comes back (<c>POST /api/me/email/verify</c>); until then receipts
/// go to the email verified before, if any.
/// </summary>
public static partial class ProfileFunctions
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(1);
    public const int MaxFailedAttempts = 5;

    public sealed record ProfileRequest(string? Email, string? Language);

    public sealed record VerifyEmailRequest(string? Code);

    public sealed record ProfileView(string? Language, string? Email, string? PendingEmail);

    [Function("GetMyProfile")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(ProfileView))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/profile")] HttpRequest http, Caller caller, UserProfiles profiles, CancellationToken ct) =>
        Results.Ok(View(await profiles.FindAsync(caller.UserId, ct) ?? New(caller)));

    [Function("UpdateMe")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(ProfileView))]
    [Responds(StatusCodes.Status409Conflict)]
    [Responds(StatusCodes.Status429TooManyRequests)]
    public static async Task<IResult> UpdateAsync(
        [Body] ProfileRequest request,
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me")] HttpRequest http,
        Caller caller, UserProfiles profiles, SignInCodes codes, IEmailSender email, Erasures erasures, TimeProvider clock, CancellationToken ct)
    {
        if (request.Email is null && request.Language is null)
        {
            return Problems.Validation("body", "Send email, language or both.");
        }

        if (request.Language is not null && !NoticeCatalogue.IsLanguage(request.Language))
        {
            return Problems.Validation("language", $"language is one of {string.Join(", ", NoticeCatalogue.Languages)}.");
        }

        var address = request.Email?.Trim();
        if (address is not null && !IsEmail(address))
        {
            return Problems.Validation("email", "email is an address like name@example.com, at most 254 characters.");
        }

        // A token issued before its account was erased must not bring the profile back.
        if (await erasures.IsErasedAsync(caller.UserId, ct))
        {
            return ErasureFunctions.Erased();
        }

        var now = clock.GetUtcNow();
        var profile = await profiles.FindAsync(caller.UserId, ct) ?? New(caller);
        string? code = null;
        if (address is not null && !string.Equals(address, profile.Email, StringComparison.OrdinalIgnoreCase))
        {
            if (profile.Pending is { } pending && string.Equals(pending.Email, address, StringComparison.OrdinalIgnoreCase)
                && pending.ExpiresAt - CodeLifetime + ResendAfter is var resendAt && resendAt > now)
            {
                return Problems.TooManyRequests(new Rejection("email-code-sent", "A code was sent to this address a moment ago."), resendAt - now);
            }

            code = codes.NewCode();
            profile = profile with { Pending = new PendingEmail(address, codes.Hash(CodeScope(caller.UserId), code), now + CodeLifetime, 0) };
        }

        profile = profile with { Language = request.Language ?? profile.Language };
        if (!await profiles.SaveAsync(profile, ct))
        {
            return Problems.Contended();
        }

        if (code is not null)
        {
            var message = new EmailMessage(
                profile.Pending!.Email,
                "Your Atlas email code",
                $"{code} is the code that confirms this address for Atlas receipts. It expires in {CodeLifetime.TotalMinutes:0} minutes.",
                "email-verification");
            try
            {
                await email.SendAsync(message, $"email-verify-{caller.UserId}-{profile.Pending.CodeHash[..16]}", ct);
            }
            catch (RetryLaterException later)
            {
                return Problems.ServiceUnavailable("Email is not going out", "The code could not be sent just now; try again.", later.Delay);
            }
        }

        return Results.Ok(View(profile));
    }

    [Function("VerifyMyEmail")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(ProfileView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> VerifyAsync(
        [Body] VerifyEmailRequest request,
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/email/verify")] HttpRequest http,
        Caller caller, UserProfiles profiles, SignInCodes codes, TimeProvider clock, CancellationToken ct)
    {
        if (!SignInCodes.IsWellFormed(request.Code))
        {
            return Problems.Validation("code", $"code is the {SignInCodes.Length} digits the email carried.");
        }

        if (await profiles.FindAsync(caller.UserId, ct) is not { Pending: { } pending } profile)
        {
            return Problems.Rejected(new Rejection("no-email-pending", "No email is waiting for its code: set one with PUT /api/me."));
        }

        if (clock.GetUtcNow() >= pending.ExpiresAt)
        {
            return Problems.Rejected(new Rejection("email-code-expired", "The code has expired: send the email again (PUT /api/me) for a new one."));
        }

        if (!ConstantTime.AreEqual(pending.CodeHash, codes.Hash(CodeScope(caller.UserId), request.Code!)))
        {
            var failed = pending.FailedAttempts + 1;
            var saved = profile with { Pending = failed >= MaxFailedAttempts ? null : pending with { FailedAttempts = failed } };
            return !await profiles.SaveAsync(saved, ct) ? Problems.Contended() : Problems.WrongCode(MaxFailedAttempts - failed);
        }

        var verified = profile with { Email = pending.Email, Pending = null };
        return await profiles.SaveAsync(verified, ct) ? Results.Ok(View(verified)) : Problems.Contended();
    }

    private static UserProfile New(Caller caller) => new(caller.UserId, caller.Phone, null, null, null);

    private static ProfileView View(UserProfile profile) => new(profile.Language ?? NoticeCatalogue.DefaultLanguage, profile.Email, profile.Pending?.Email);

    private static string CodeScope(string userId) => $"email-{userId}";

    private static bool IsEmail(string address) =>
        address.Length <= 254 && !FreeText.HasHiddenCharacters(address) && Email().IsMatch(address);

    [GeneratedRegex(@"^[^@\s""<>(),;:\\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex Email();
}
