namespace Atlas.Core.Auth;

// The guard against SMS pumping (toll fraud: bots asking for sign-in codes to premium numbers, paid per text). Each
// text asked for is decided on what the counters say for its calling code: the hour's budgets, and how many of the
// codes sent lately were verified. The counters themselves are stored elsewhere; this is only the rule.

/// <summary>What the counters say, for one calling code, at the moment a sign-in text is asked for.</summary>
/// <param name="SentThisHour">Texts sent to the calling code in this clock hour (UTC).</param>
/// <param name="SentThisHourInAll">Texts sent to any calling code in this clock hour.</param>
/// <param name="SentThisMinute">Texts sent to the calling code in this clock minute: the trickle while throttled.</param>
/// <param name="SentInWindow">Texts sent to the calling code in the conversion window.</param>
/// <param name="VerifiedInWindow">Codes of the calling code verified in the conversion window.</param>
public sealed record SmsTally(long SentThisHour, long SentThisHourInAll, long SentThisMinute, long SentInWindow, long VerifiedInWindow)
{
    public static SmsTally None { get; } = new(0, 0, 0, 0, 0);
}

public enum SmsHoldReason
{
    /// <summary>Too few of the codes sent lately were verified: the calling code gets a trickle.</summary>
    Conversion,

    /// <summary>The calling code's texts for the hour are spent.</summary>
    Budget,

    /// <summary>The hour's texts for every calling code together are spent.</summary>
    TotalBudget,
}

public abstract record SmsVerdict;

public sealed record SendText : SmsVerdict
{
    public static SendText Instance { get; } = new();
}

/// <summary>No text now; <paramref name="RetryAt"/> is when the reason may have passed.</summary>
public sealed record HoldText(SmsHoldReason Reason, DateTimeOffset RetryAt) : SmsVerdict;

/// <param name="HourlyPerCallingCode">Texts a calling code may be sent in a clock hour.</param>
/// <param name="HourlyTotal">Texts all calling codes together may be sent in a clock hour.</param>
/// <param name="ConversionWindow">How far back sent and verified codes are compared (whole minutes).</param>
/// <param name="MinVolume">Codes sent in the window before their conversion is judged.</param>
/// <param name="MinConversion">The share of sent codes that must be verified (0 to 1).</param>
/// <param name="TricklePerMinute">Texts a throttled calling code still gets each minute (real users among the bots).</param>
public sealed record SmsGuardRules(
    int HourlyPerCallingCode, int HourlyTotal, TimeSpan ConversionWindow, int MinVolume, double MinConversion, int TricklePerMinute);

public sealed class SmsGuard(SmsGuardRules rules)
{
    public SmsGuardRules Rules => rules;

    /// <summary>Send, or hold and say until when. A throttled code's trickle still answers to the budgets.</summary>
    public SmsVerdict Decide(SmsTally tally, DateTimeOffset now)
    {
        if (IsThrottled(tally) && tally.SentThisMinute >= rules.TricklePerMinute)
        {
            return new HoldText(SmsHoldReason.Conversion, MinuteOf(now).AddMinutes(1));
        }

        if (tally.SentThisHour >= rules.HourlyPerCallingCode)
        {
            return new HoldText(SmsHoldReason.Budget, HourOf(now).AddHours(1));
        }

        return tally.SentThisHourInAll >= rules.HourlyTotal
            ? new HoldText(SmsHoldReason.TotalBudget, HourOf(now).AddHours(1))
            : SendText.Instance;
    }

    /// <summary>Enough codes sent in the window, and too few of them verified. It lifts by itself: as verified codes
    /// come in, or as the burst's sends leave the window (held texts are not sends).</summary>
    public bool IsThrottled(SmsTally tally) =>
        tally.SentInWindow >= rules.MinVolume && tally.VerifiedInWindow < rules.MinConversion * tally.SentInWindow;

    /// <summary>Whether a minute's counts are in the window that ends now: the current minute and the ones before it,
    /// as many as the window has minutes.</summary>
    public bool InWindow(DateTimeOffset minute, DateTimeOffset now) =>
        minute <= now && minute > MinuteOf(now) - rules.ConversionWindow;

    public static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public static DateTimeOffset HourOf(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
}
