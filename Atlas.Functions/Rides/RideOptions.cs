using Atlas.Core.Rides;

namespace Atlas.Functions.Rides;

/// <summary>The Rides section: the ride's timers, fees (minor units of the ride's currency) and the ETA speed.</summary>
public sealed class RideOptions
{
    public const string Section = "Rides";

    public TimeSpan SetOffWithin { get; set; } = RideRules.Default.SetOffWithin;

    public TimeSpan NoShowWait { get; set; } = RideRules.Default.NoShowWait;

    public TimeSpan FreeCancellation { get; set; } = RideRules.Default.FreeCancellation;

    public long CancellationFee { get; set; } = RideRules.Default.CancellationFee;

    public long NoShowFee { get; set; } = RideRules.Default.NoShowFee;

    public int MaxStartAttempts { get; set; } = RideRules.Default.MaxStartAttempts;

    /// <summary>The speed an ETA assumes over the straight line to the pickup or dropoff.</summary>
    public double EtaSpeedKmh { get; set; } = 30;

    public RideRules ToRules() =>
        SetOffWithin > TimeSpan.Zero && NoShowWait > TimeSpan.Zero && FreeCancellation >= TimeSpan.Zero
        && CancellationFee >= 0 && NoShowFee >= 0 && MaxStartAttempts >= 1 && EtaSpeedKmh > 0
            ? new RideRules(SetOffWithin, NoShowWait, FreeCancellation, CancellationFee, NoShowFee, MaxStartAttempts)
            : throw new InvalidOperationException(
                "Rides: SetOffWithin and NoShowWait > 0, FreeCancellation ≥ 0, fees ≥ 0, MaxStartAttempts ≥ 1, EtaSpeedKmh > 0.");
}
