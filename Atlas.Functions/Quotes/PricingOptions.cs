using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;

namespace Atlas.Functions.Quotes;

/// <summary>The Pricing section: currency, booking fee, road factor, average speed, a rate per vehicle type
/// (Pricing:Vehicles:car:PerKm …) and surge zones (Pricing:SurgeZones:0:Lat …). Amounts in minor units.</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    public string Currency { get; set; } = "GBP";

    public long BookingFee { get; set; } = 100;

    public double RoadFactor { get; set; } = 1.3;

    public double SpeedKmh { get; set; } = 30;

    public Dictionary<string, RateOptions> Vehicles { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bike"] = new() { Base = 150, PerKm = 60, PerMinute = 10, Multiplier = 0.8m },
        ["car"] = new() { Base = 250, PerKm = 120, PerMinute = 20, Multiplier = 1.0m },
        ["van"] = new() { Base = 400, PerKm = 150, PerMinute = 25, Multiplier = 1.4m },
        ["truck"] = new() { Base = 900, PerKm = 250, PerMinute = 40, Multiplier = 2.2m },
    };

    public List<SurgeZoneOptions> SurgeZones { get; set; } = [];

    /// <summary>The price list, or the first setting that is wrong.</summary>
    public PriceList ToPriceList()
    {
        if (Currency is not { Length: 3 } || !Currency.All(char.IsAsciiLetterUpper))
        {
            throw new InvalidOperationException("Pricing:Currency is an ISO 4217 code such as GBP.");
        }

        if (BookingFee < 0 || RoadFactor < 1 || SpeedKmh <= 0)
        {
            throw new InvalidOperationException("Pricing:BookingFee is ≥ 0, Pricing:RoadFactor ≥ 1 and Pricing:SpeedKmh > 0.");
        }

        var rates = new Dictionary<VehicleType, VehicleRate>();
        foreach (var type in Enum.GetValues<VehicleType>())
        {
            rates[type] = Vehicles.TryGetValue(type.ToString(), out var rate) && rate is { Base: >= 0, PerKm: >= 0, PerMinute: >= 0, Multiplier: > 0 }
                ? new VehicleRate(rate.Base, rate.PerKm, rate.PerMinute, rate.Multiplier)
                : throw new InvalidOperationException($"Pricing:Vehicles:{type.ToString().ToLowerInvariant()} needs Base, PerKm, PerMinute ≥ 0 and a Multiplier > 0.");
        }

        var zones = SurgeZones.Select(z => z.Multiplier >= 1 && z.RadiusKm > 0 && GeoPoint.IsValidLatitude(z.Lat) && GeoPoint.IsValidLongitude(z.Lng)
            ? new SurgeZone(z.Name, new GeoPoint(z.Lat, z.Lng), z.RadiusKm, z.Multiplier)
            : throw new InvalidOperationException($"Pricing:SurgeZones '{z.Name}' needs a valid Lat/Lng, RadiusKm > 0 and a Multiplier ≥ 1.")).ToList();
        return new PriceList(Currency, BookingFee, RoadFactor, SpeedKmh, rates, zones);
    }
}

public sealed class RateOptions
{
    public long Base { get; set; }

    public long PerKm { get; set; }

    public long PerMinute { get; set; }

    public decimal Multiplier { get; set; } = 1m;
}

public sealed class SurgeZoneOptions
{
    public string Name { get; set; } = "";

    public double Lat { get; set; }

    public double Lng { get; set; }

    public double RadiusKm { get; set; }

    public decimal Multiplier { get; set; } = 1m;
}
