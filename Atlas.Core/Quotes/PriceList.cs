using Atlas.Core.Common;
using Atlas.Core.Companies;

namespace Atlas.Core.Quotes;

/// <summary>The rates a ride is priced by: per vehicle type, a booking fee, and surge zones around busy places.</summary>
/// <param name="RoadFactor">Roads are longer than the great circle: the distance charged is the straight line times this.</param>
/// <param name="SpeedKmh">The average speed that turns distance into the estimated minutes (and ETAs).</param>
public sealed record PriceList(
    string Currency,
    long BookingFee,
    double RoadFactor,
    double SpeedKmh,
    IReadOnlyDictionary<VehicleType, VehicleRate> Rates,
    IReadOnlyList<SurgeZone> SurgeZones)
{
    public Fare Price(GeoPoint pickup, GeoPoint dropoff, VehicleType type)
    {
        var rate = Rates[type];
        var km = pickup.DistanceKm(dropoff) * RoadFactor;
        var minutes = (int)Math.Ceiling(km / SpeedKmh * 60);
        var distance = Round((decimal)km * rate.PerKm);
        var time = (long)minutes * rate.PerMinute;
        var ride = rate.Base + distance + time;
        var vehicle = Round(ride * (rate.Multiplier - 1));
        var surgeMultiplier = SurgeAt(pickup);
        var surge = Round((ride + vehicle) * (surgeMultiplier - 1));
        return new Fare(Currency, rate.Base, distance, time, vehicle, surge, BookingFee, Math.Round(km, 3), minutes, surgeMultiplier);
    }

    /// <summary>The highest multiplier of the zones the point is in; 1 outside every zone.</summary>
    public decimal SurgeAt(GeoPoint point) =>
        SurgeZones.Where(z => z.Contains(point)).Select(z => z.Multiplier).DefaultIfEmpty(1m).Max();

    private static long Round(decimal amount) => (long)Math.Round(amount, MidpointRounding.AwayFromZero);
}

/// <summary>Minor units: a flat base, per km and per minute, then a multiplier for the vehicle type.</summary>
public sealed record VehicleRate(long Base, long PerKm, long PerMinute, decimal Multiplier);

public sealed record SurgeZone(string Name, GeoPoint Center, double RadiusKm, decimal Multiplier)
{
    public bool Contains(GeoPoint point) => Center.DistanceKm(point) <= RadiusKm;
}
