using Atlas.Core.Auth;
using Atlas.Functions.Http;

namespace Atlas.Functions.Privacy;

/// <summary>The "Retention" section: how long the records kept only to run the app are kept (docs/privacy.md says why
/// each), and when the purge runs. Finished orchestrations have their own, <c>Flows:RetainFor</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Sign-in challenges, and the rows of phones that only ever tried to sign in (or whose user was erased).</summary>
    public TimeSpan SignInChallenges { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Sessions unused this long (they expire after a week unused).</summary>
    public TimeSpan Sessions { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The log of texts sent (kind, masked phone, delivery status).</summary>
    public TimeSpan SmsLog { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The once-only delivery log of texts, push notices and email.</summary>
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Idempotency-Key records (a key is honoured for a day).</summary>
    public TimeSpan IdempotencyRecords { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The purge timer's NCRONTAB schedule (daily at 03:45 UTC by default).</summary>
    public string PurgeSchedule { get; set; } = "0 45 3 * * *";

    public IEnumerable<string> Problems()
    {
        if (SignInChallenges < TimeSpan.FromHours(1))
        {
            yield return "Retention:SignInChallenges is at least an hour: a phone's sign-ins of the last hour are what limits them.";
        }

        if (Sessions < SessionRules.Default.IdleLifetime)
        {
            yield return $"Retention:Sessions is at least {SessionRules.Default.IdleLifetime.TotalDays:0} days: a session used less than that ago still works.";
        }

        if (SmsLog < TimeSpan.FromDays(1) || Deliveries < TimeSpan.FromDays(1))
        {
            yield return "Retention:SmsLog and Retention:Deliveries are at least a day: delivery reports and redelivered messages can come hours late.";
        }

        if (IdempotencyRecords < IdempotencyKeys.Remembered)
        {
            yield return $"Retention:IdempotencyRecords is at least {IdempotencyKeys.Remembered.TotalHours:0} hours: a key is honoured that long.";
        }
    }
}
