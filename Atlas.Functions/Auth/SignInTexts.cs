using System.Collections.Concurrent;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Functions.Http;

namespace Atlas.Functions.Auth;

/// <summary>
/// The SMS guard where sign-in sends texts (docs/sms-abuse.md): a code is texted only to an allowed calling code,
/// within the hour's budgets, and only as a trickle to a calling code whose codes are not being verified. A held text
/// is answered with its problem and counted (<c>atlas.signin.sms_blocked</c>); a calling code throttled or recovered
/// is logged, once per instance.
/// </summary>
public sealed class SignInTexts(
    CallingCodes allowed, SmsCounters counters, SmsGuard guard, SignInMetrics metrics, TimeProvider clock, ILogger<SignInTexts> logger)
{
    private readonly ConcurrentDictionary<string, bool> _throttled = new(StringComparer.Ordinal);

    /// <summary>A 400 naming <c>phone</c> when texts may not go to its calling code, else null.</summary>
    public IResult? RefuseCountry(PhoneNumber phone)
    {
        if (allowed.Find(phone) is not null)
        {
            return null;
        }

        metrics.SmsBlocked("country", CallingCodes.CountryOf(phone));
        return Problems.Validation("phone", allowed.Rule);
    }

    /// <summary>Null when the text may go (it is counted as sent); otherwise the problem to answer.</summary>
    public async Task<IResult?> AdmitAsync(PhoneNumber phone, CancellationToken ct)
    {
        if (allowed.Find(phone) is not { } code)
        {
            return RefuseCountry(phone);
        }

        var now = clock.GetUtcNow();
        var (verdict, tally) = await counters.AdmitAsync(code, now, ct);
        Watch(code, tally);
        if (verdict is not HoldText hold)
        {
            return null;
        }

        metrics.SmsBlocked(Tag(hold.Reason), code);
        var wait = hold.RetryAt - now;
        return hold.Reason switch
        {
            SmsHoldReason.Conversion => Problems.TooManyRequests(
                new Rejection("sms-throttled", $"Too few sign-in codes texted to +{code} numbers are being used; texts to them are slowed down for now."), wait),
            SmsHoldReason.Budget => Problems.TooManyRequests(
                new Rejection("sms-budget", $"This hour's sign-in texts to +{code} numbers are used up."), wait),
            _ => Problems.ServiceUnavailable(
                new Rejection("sms-budget-total", "This hour's sign-in texts are used up; sign-in is paused."), wait),
        };
    }

    /// <summary>Counts a verified code for its calling code. A lost count only makes the guard stricter, so a storage
    /// fault here is logged and does not undo the sign-in.</summary>
    public async Task VerifiedAsync(PhoneNumber phone)
    {
        if (allowed.Find(phone) is not { } code)
        {
            return;
        }

        try
        {
            await counters.VerifiedAsync(code, clock.GetUtcNow());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "A verified sign-in code of +{CallingCode} was not counted", code);
        }
    }

    private void Watch(string code, SmsTally tally)
    {
        var throttled = guard.IsThrottled(tally);
        if (_throttled.GetValueOrDefault(code) == throttled)
        {
            return;
        }

        _throttled[code] = throttled;
        if (throttled)
        {
            logger.LogWarning(
                "Sign-in texts to +{CallingCode} are throttled to {Trickle} a minute: {Verified} of {Sent} codes sent in the last {Window} were verified",
                code, guard.Rules.TricklePerMinute, tally.VerifiedInWindow, tally.SentInWindow, guard.Rules.ConversionWindow);
        }
        else
        {
            logger.LogInformation(
                "Sign-in texts to +{CallingCode} are no longer throttled: {Verified} of {Sent} codes sent in the last {Window} were verified",
                code, tally.VerifiedInWindow, tally.SentInWindow, guard.Rules.ConversionWindow);
        }
    }

    private static string Tag(SmsHoldReason reason) => reason switch
    {
        SmsHoldReason.Conversion => "conversion",
        SmsHoldReason.Budget => "budget",
        _ => "total_budget",
    };
}
