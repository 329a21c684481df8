namespace Atlas.Core.Quotes;

/// <summary>
/// A price in integer minor units of <paramref name="Currency"/>, line by line. The lines always add up to
/// <see cref="Total"/>: each is rounded on its own and the total is their sum, never rounded again.
/// </summary>
/// <param name="VehicleAdjustment">What the vehicle type's multiplier adds to (or takes from) base + distance + time.</param>
/// <param name="Surge">What the pickup zone's surge multiplier adds to the ride part (the booking fee does not surge).</param>
public sealed record Fare(
    string Currency,
    long Base,
    long Distance,
    long Time,
    long VehicleAdjustment,
    long Surge,
    long BookingFee,
    double DistanceKm,
    int Minutes,
    decimal SurgeMultiplier)
{
    public long Total => Base + Distance + Time + VehicleAdjustment + Surge + BookingFee;
}
