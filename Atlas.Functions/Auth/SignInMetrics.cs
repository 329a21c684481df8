using System.Diagnostics.Metrics;
using Atlas.Core.Auth;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Auth;

/// <summary>Sign-ins by outcome, counted from the challenge's committed changes, and the sign-in texts the SMS guard
/// held back. Tags are outcomes, reasons and calling codes, never a phone or a code.</summary>
public sealed class SignInMetrics : IStateMetrics<Challenge, ChallengeCommand>
{
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _smsBlocked;

    public SignInMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AtlasTelemetry.Name);
        _signIns = meter.CreateCounter<long>("atlas.sign_ins", "{sign-in}", "Sign-ins by outcome: started, verified, failed (a wrong, expired or burned code).");
        _smsBlocked = meter.CreateCounter<long>(
            "atlas.signin.sms_blocked", "{text}", "Sign-in texts not sent, by reason (country, conversion, budget, total_budget) and calling code.");
    }

    public void Changed(Challenge before, Challenge after, ChallengeCommand command)
    {
        switch (before, after, command)
        {
            case (NoChallenge, PendingChallenge, _):
                SignIn("started");
                break;
            case (_, VerifiedChallenge, _):
                SignIn("verified");
                break;
            case (PendingChallenge, _, VerifyCode):
                SignIn("failed");
                break;
        }
    }

    /// <summary>A sign-in text the SMS guard held back. The calling code is a country's (or a listed prefix), never more of the number.</summary>
    public void SmsBlocked(string reason, string callingCode) =>
        _smsBlocked.Add(1, new("reason", reason), new("calling_code", callingCode));

    private void SignIn(string outcome) => _signIns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
