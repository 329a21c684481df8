using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Rides;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Http;

namespace Atlas.Functions.Rides;

/// <summary>How a caller stands to a ride, which decides what they see and may do.</summary>
public enum RideViewer
{
    /// <summary>Not theirs: answered as not found.</summary>
    None,

    /// <summary>The one who booked it: sees the start code.</summary>
    Rider,

    /// <summary>The assigned driver.</summary>
    Driver,

    /// <summary>A dispatcher or admin of the driver's company.</summary>
    Operator,

    PlatformAdmin,
}

public sealed record RideView(
    string Id,
    string BookingId,
    RideStatus Status,
    GeoPoint Pickup,
    GeoPoint Dropoff,
    long Price,
    string Currency,
    DriverView Driver,
    EtaView? Eta,
    string? StartCode,
    bool StartLocked,
    DateTimeOffset AssignedAt,
    DateTimeOffset? DepartedAt,
    DateTimeOffset? ArrivedAt,
    DateTimeOffset? NoShowAllowedFrom,
    DateTimeOffset? StartedAt,
    EndingView? Ending,
    int? MyRating);

public sealed record DriverView(string Id, string CompanyId, LocationView? LastLocation);

public sealed record LocationView(double Lat, double Lng, DateTimeOffset At);

/// <param name="To">"pickup" before the ride starts, "dropoff" during it.</param>
public sealed record EtaView(string To, double Km, int Minutes);

public static class RideViews
{
    public static RideViewer ViewerOf(Caller caller, Ride ride)
    {
        var terms = ride.Terms!;
        return caller switch
        {
            { Role: Role.PlatformAdmin } => RideViewer.PlatformAdmin,
            _ when caller.UserId == terms.RiderId => RideViewer.Rider,
            { Role: Role.Driver } when caller.MemberId == terms.DriverId && caller.BelongsTo(terms.CompanyId) => RideViewer.Driver,
            { Role: Role.Dispatcher or Role.CompanyAdmin } when caller.BelongsTo(terms.CompanyId) => RideViewer.Operator,
            _ => RideViewer.None,
        };
    }

    public static RideView Show(string rideId, Ride ride, RideViewer viewer, RideDecider rules, double etaSpeedKmh)
    {
        var terms = ride.Terms!;
        var location = ride.LastLocation;
        return new RideView(
            rideId,
            terms.BookingId,
            ride.Status,
            terms.Trip.Pickup,
            terms.Trip.Dropoff,
            terms.Price,
            terms.Currency,
            new DriverView(terms.DriverId, terms.CompanyId, location is null ? null : new LocationView(location.Point.Lat, location.Point.Lng, location.At)),
            Eta(ride, etaSpeedKmh),
            viewer is RideViewer.Rider && ride.IsActive ? terms.StartCode : null,
            rules.IsStartLocked(ride),
            ride.AssignedAt!.Value,
            ride.DepartedAt,
            ride.ArrivedAt,
            ride.ArrivedAt + rules.Rules.NoShowWait,
            ride.StartedAt,
            ride.Ending is { } e ? new EndingView(e.At, e.By?.ToString().ToLowerInvariant(), e.Reason, e.Fee, terms.Currency) : null,
            viewer switch
            {
                RideViewer.Rider => ride.RiderRating?.Stars,
                RideViewer.Driver => ride.DriverRating?.Stars,
                _ => null,
            });
    }

    /// <summary>Straight-line distance from the driver's last position to where they are heading, at the configured speed.</summary>
    private static EtaView? Eta(Ride ride, double speedKmh)
    {
        var (to, target) = ride.Status switch
        {
            RideStatus.Assigned or RideStatus.DriverEnRoute => ("pickup", ride.Terms!.Trip.Pickup),
            RideStatus.InProgress => ("dropoff", ride.Terms!.Trip.Dropoff),
            _ => (null, default),
        };
        if (to is null || ride.LastLocation is not { } from)
        {
            return null;
        }

        var km = from.Point.DistanceKm(target);
        return new EtaView(to, Math.Round(km, 2), (int)Math.Ceiling(km / speedKmh * 60));
    }
}
