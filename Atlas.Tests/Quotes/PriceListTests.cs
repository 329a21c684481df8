using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;

namespace Atlas.Tests.Quotes;

/// <summary>Fares: each line, the vehicle and surge multipliers, and lines that always add up to the total.</summary>
public sealed class PriceListTests
{
    private static readonly GeoPoint Westminster = new(51.5007, -0.1246);
    private static readonly GeoPoint Bloomsbury = new(51.5194, -0.1270);

    private static readonly PriceList Prices = new(
        "GBP",
        BookingFee: 100,
        RoadFactor: 1.3,
        SpeedKmh: 30,
        new Dictionary<VehicleType, VehicleRate>
        {
            [VehicleType.Bike] = new(150, 60, 10, 0.8m),
            [VehicleType.Car] = new(250, 120, 20, 1.0m),
            [VehicleType.Van] = new(400, 150, 25, 1.4m),
            [VehicleType.Truck] = new(900, 250, 40, 2.2m),
        },
        [new SurgeZone("airport", new GeoPoint(51.47, -0.4543), 3, 1.5m)]);

    [Fact]
    public void GreatCircleDistanceMatchesAKnownPair()
    {
        // London to Paris is about 344 km as the crow flies.
        Assert.InRange(new GeoPoint(51.5074, -0.1278).DistanceKm(new GeoPoint(48.8566, 2.3522)), 343, 345);
        Assert.Equal(0, Westminster.DistanceKm(Westminster));
    }

    [Fact]
    public void A_car_fare_is_base_plus_road_distance_plus_minutes_plus_the_booking_fee()
    {
        var fare = Prices.Price(Westminster, Bloomsbury, VehicleType.Car);

        var km = Westminster.DistanceKm(Bloomsbury) * 1.3;
        Assert.Equal(Math.Round(km, 3), fare.DistanceKm);
        Assert.Equal((int)Math.Ceiling(km / 30 * 60), fare.Minutes);
        Assert.Equal(250, fare.Base);
        Assert.Equal((long)Math.Round((decimal)km * 120, MidpointRounding.AwayFromZero), fare.Distance);
        Assert.Equal(fare.Minutes * 20, fare.Time);
        Assert.Equal(0, fare.VehicleAdjustment);
        Assert.Equal(0, fare.Surge);
        Assert.Equal(100, fare.BookingFee);
        Assert.Equal(fare.Base + fare.Distance + fare.Time + fare.BookingFee, fare.Total);
        Assert.Equal("GBP", fare.Currency);
    }

    [Fact]
    public void The_vehicle_multiplier_scales_the_ride_but_not_the_booking_fee()
    {
        var car = Prices.Price(Westminster, Bloomsbury, VehicleType.Car);
        var van = Prices.Price(Westminster, Bloomsbury, VehicleType.Van);
        var bike = Prices.Price(Westminster, Bloomsbury, VehicleType.Bike);

        var vanRide = van.Base + van.Distance + van.Time;
        Assert.Equal((long)Math.Round(vanRide * 0.4m, MidpointRounding.AwayFromZero), van.VehicleAdjustment);
        Assert.True(bike.VehicleAdjustment < 0);
        Assert.Equal(car.BookingFee, van.BookingFee);
    }

    [Fact]
    public void A_pickup_in_a_surge_zone_surges_the_ride_part()
    {
        var airport = new GeoPoint(51.4700, -0.4543);
        var fare = Prices.Price(airport, new GeoPoint(51.50, -0.40), VehicleType.Car);

        Assert.Equal(1.5m, fare.SurgeMultiplier);
        Assert.Equal((long)Math.Round((fare.Base + fare.Distance + fare.Time) * 0.5m, MidpointRounding.AwayFromZero), fare.Surge);
        Assert.Equal(1m, Prices.Price(Westminster, Bloomsbury, VehicleType.Car).SurgeMultiplier);
    }

    [Fact]
    public void Lines_always_add_up_to_the_total()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var from = new GeoPoint(51 + random.NextDouble(), -1 + random.NextDouble());
            var to = new GeoPoint(51 + random.NextDouble(), -1 + random.NextDouble());
            var fare = Prices.Price(from, to, (VehicleType)random.Next(4));

            Assert.Equal(fare.Base + fare.Distance + fare.Time + fare.VehicleAdjustment + fare.Surge + fare.BookingFee, fare.Total);
            Assert.True(fare.Total > 0);
        }
    }
}
