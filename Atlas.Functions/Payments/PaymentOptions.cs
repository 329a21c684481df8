using Atlas.Core.Ledger;
using Atlas.Core.Payments;

namespace Atlas.Functions.Payments;

/// <summary>The Payments section: how much is held, how long 3-D Secure may take, when holds are renewed, tips,
/// disputes, and the platform's default fee.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Held on top of the winning bid, in percent (two decimals at most).</summary>
    public decimal HoldBufferPercent { get; set; } = 10;

    public TimeSpan ActionWindow { get; set; } = EscrowRules.Default.ActionWindow;

    public TimeSpan ReauthoriseBefore { get; set; } = EscrowRules.Default.ReauthoriseBefore;

    public long MaxTip { get; set; } = EscrowRules.Default.MaxTip;

    public DisputeLossPolicy DisputeLosses { get; set; } = DisputeLossPolicy.Absorb;

    /// <summary>The platform's cut of a ride when its company has none of its own, in percent.</summary>
    public decimal PlatformFeePercent { get; set; } = 15;

    /// <summary>Added to the percentage, in minor units.</summary>
    public long PlatformFeeFixed { get; set; }

    public PlatformFee DefaultFee => new(ToBasisPoints(PlatformFeePercent), PlatformFeeFixed);

    public EscrowRules ToRules() => new(ToBasisPoints(HoldBufferPercent), ActionWindow, ReauthoriseBefore, MaxTip, DisputeLosses);

    public static int ToBasisPoints(decimal percent) => (int)(percent * 100);

    public static bool IsPercent(decimal percent) => percent is >= 0 and <= 100 && decimal.Round(percent, 2) == percent;

    public IEnumerable<string> Problems()
    {
        if (!IsPercent(HoldBufferPercent))
        {
            yield return "Payments:HoldBufferPercent is 0 to 100, with at most two decimals.";
        }

        if (!IsPercent(PlatformFeePercent) || PlatformFeeFixed < 0)
        {
            yield return "Payments:PlatformFeePercent is 0 to 100 (two decimals at most) and PlatformFeeFixed is not negative.";
        }

        if (ActionWindow <= TimeSpan.Zero || ReauthoriseBefore <= TimeSpan.Zero || ReauthoriseBefore >= TimeSpan.FromDays(4) || MaxTip <= 0)
        {
            yield return "Payments:ActionWindow and MaxTip are positive; ReauthoriseBefore is positive and under 4 days.";
        }
    }
}
