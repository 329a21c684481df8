namespace Atlas.Core.Companies;

public enum VehicleType
{
    Bike,
    Car,
    Van,
    Truck,
}

/// <summary>What a vehicle carries: people or a load, never both, within what its type can hold.</summary>
public sealed record VehicleCapacity(int? Seats, int? Kg)
{
    private static readonly Dictionary<VehicleType, (int Seats, int Kg)> Limits = new()
    {
        [VehicleType.Bike] = (1, 50),
        [VehicleType.Car] = (8, 500),
        [VehicleType.Van] = (16, 3_500),
        [VehicleType.Truck] = (3, 40_000),
    };

    /// <summary>Null when the capacity fits the type; otherwise the rule it breaks.</summary>
    public string? Check(VehicleType type)
    {
        var (maxSeats, maxKg) = Limits[type];
        return (Seats, Kg) switch
        {
            (null, null) or (not null, not null) => "Give the capacity in seats or in kg, exactly one of them.",
            ({ } seats, _) when seats < 1 || seats > maxSeats => $"A {Name(type)} has from 1 to {maxSeats} seats.",
            (_, { } kg) when kg < 1 || kg > maxKg => $"A {Name(type)} carries from 1 to {maxKg} kg.",
            _ => null,
        };
    }

    private static string Name(VehicleType type) => type.ToString().ToLowerInvariant();
}
