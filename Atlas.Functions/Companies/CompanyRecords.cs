using System.Text.Json.Serialization;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Ledger;

namespace Atlas.Functions.Companies;

/// <param name="BidWindowSeconds">How long bookings its dispatchers make stay open for bids; null for the default.</param>
/// <param name="Fee">The platform's cut of its drivers' rides; null for the configured default.</param>
public sealed record Company(string Id, string Name, DateTimeOffset CreatedAt, int? BidWindowSeconds = null, PlatformFee? Fee = null);

/// <summary>A phone that belongs to the company with a role. Its id is also its driver id.</summary>
public sealed record Member(string Id, string Phone, Role Role, DateTimeOffset AddedAt);

/// <summary>A driver's profile and live status. Rating is the mean of riders' stars, empty until the first.</summary>
/// <param name="Fit">What the driver's vehicle is and carries (copied from the vehicle when it is chosen).</param>
/// <param name="Cell">The driver's row in the <see cref="DriverLocator"/>, if they are in it.</param>
public sealed record Driver(
    string Id,
    string Phone,
    string? Name,
    string? LicenceNumber,
    string? VehicleId,
    double? Rating,
    bool Available,
    DriverLocation? LastLocation,
    [property: JsonIgnore] VehicleFit? Fit = null,
    [property: JsonIgnore] string? Cell = null,
    string? PayoutAccountId = null)
{
    public bool IsReadyToDrive => Name is not null && LicenceNumber is not null && VehicleId is not null;
}

public sealed record DriverLocation(double Lat, double Lng, DateTimeOffset At)
{
    public GeoPoint Point => new(Lat, Lng);
}

public sealed record VehicleFit(VehicleType Type, int? Seats, int? Kg)
{
    public bool Carries(VehicleType type, int? seats, int? kg) => Type == type && (seats is null || Seats >= seats) && (kg is null || Kg >= kg);
}

public sealed record Vehicle(string Id, VehicleType Type, VehicleCapacity Capacity, string Plate, DateTimeOffset AddedAt);

/// <summary>One page of a list and the cursor of the next, null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
