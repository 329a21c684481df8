using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Companies;

namespace Atlas.Functions.Companies;

public sealed record Company(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A phone that belongs to the company with a role. Its id is also its driver id.</summary>
public sealed record Member(string Id, string Phone, Role Role, DateTimeOffset AddedAt);

/// <summary>A driver's profile and live status. Rating stays empty until rides are rated.</summary>
public sealed record Driver(
    string Id,
    string Phone,
    string? Name,
    string? LicenceNumber,
    string? VehicleId,
    double? Rating,
    bool Available,
    DriverLocation? LastLocation)
{
    public bool IsReadyToDrive => Name is not null && LicenceNumber is not null && VehicleId is not null;
}

public sealed record DriverLocation(double Lat, double Lng, DateTimeOffset At)
{
    public GeoPoint Point => new(Lat, Lng);
}

public sealed record Vehicle(string Id, VehicleType Type, VehicleCapacity Capacity, string Plate, DateTimeOffset AddedAt);

/// <summary>One page of a list and the cursor of the next, null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
