using System.Text.Json;
using Atlas.Core.Auth;
using Atlas.Core.Rides;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;

namespace Atlas.Functions.Rides;

/// <summary>The ride as its driver runs it (set off, arrive, start with the rider's code, complete), what the
/// rider and the driver's company see of it, and the ratings after.</summary>
public static class RideFunctions
{
    private static readonly Access Drivers = Access.For(Role.Driver);

    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("GetRide", "GET", "rides/{rideId}", Access.SignedIn, GetAsync)
        .Http("SetOff", "POST", "rides/{rideId}/set-off", Drivers, (string rideId, Caller c, RideContext r, CancellationToken ct) => r.DriveAsync(rideId, c, new SetOff(), ct))
        .Http("Arrive", "POST", "rides/{rideId}/arrive", Drivers, (string rideId, Caller c, RideContext r, CancellationToken ct) => r.DriveAsync(rideId, c, new Arrive(), ct))
        .Http("StartRide", "POST", "rides/{rideId}/start", Drivers, StartAsync)
        .Http("CompleteRide", "POST", "rides/{rideId}/complete", Drivers, (string rideId, Caller c, RideContext r, CancellationToken ct) => r.DriveAsync(rideId, c, new CompleteRide(), ct))
        .Http("MarkNoShow", "POST", "rides/{rideId}/no-show", Drivers, (string rideId, Caller c, RideContext r, CancellationToken ct) => r.DriveAsync(rideId, c, new MarkNoShow(), ct))
        .Http("CancelRide", "POST", "rides/{rideId}/cancel", Drivers, CancelAsync)
        .Http("ReportRideLocation", "POST", "rides/{rideId}/location", Drivers, ReportLocationAsync, RateLimits.Location)
        .Http("UnlockRideStart", "POST", "rides/{rideId}/unlock-start", Access.For(Role.Dispatcher, Role.CompanyAdmin), UnlockAsync)
        .Http("RateRide", "POST", "rides/{rideId}/rating", Access.For(Role.Rider, Role.Dispatcher, Role.Driver), RateAsync);

    public sealed record StartRequest(string? Code);

    public sealed record DriverCancelRequest(DriverCancelReason? Reason);

    public sealed record LocationRequest(double? Lat, double? Lng);

    public sealed record RatingRequest(int? Stars, string? Comment);

    public enum DriverCancelReason
    {
        VehicleProblem,
        RiderUnreachable,
        UnsafePickup,
        Other,
    }

    private static async Task<IResult> GetAsync(string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        await rides.FindAsync(rideId, caller, fresh: true, ct) is { } found
            ? Results.Ok(rides.Show(rideId, found.Ride, found.Viewer))
            : Problems.NotFound($"Ride '{rideId}'");

    private static async Task<IResult> StartAsync(string rideId, StartRequest request, Caller caller, RideContext rides, CancellationToken ct)
    {
        if (request.Code is not { Length: RideRules.StartCodeLength } code || !code.All(char.IsAsciiDigit))
        {
            return Problems.Validation("code", $"code is the {RideRules.StartCodeLength} digits the rider's app shows.");
        }

        return await rides.DriveAsync(rideId, caller, new StartRide(code), ct, (result, view) => result.State switch
        {
            { Status: RideStatus.Arrived } ride when rides.Rules.IsStartLocked(ride) => Problems.Rejected(RideDecider.StartLocked),
            { Status: RideStatus.Arrived } ride => Problems.WrongCode(rides.Rules.Rules.MaxStartAttempts - ride.StartAttemptsFailed),
            _ => Results.Ok(view),
        });
    }

    private static async Task<IResult> CancelAsync(string rideId, DriverCancelRequest request, Caller caller, RideContext rides, CancellationToken ct) =>
        request.Reason is { } reason
            ? await rides.DriveAsync(rideId, caller, new CancelRide(Party.Driver, JsonNamingPolicy.CamelCase.ConvertName(reason.ToString())), ct)
            : Problems.Validation("reason", "reason is one of vehicleProblem, riderUnreachable, unsafePickup, other.");

    private static async Task<IResult> ReportLocationAsync(string rideId, LocationRequest request, Caller caller, RideContext rides, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        return Coordinates.Read(request.Lat, request.Lng, "", errors) is { } point
            ? await rides.DriveAsync(rideId, caller, new ReportRideLocation(point), ct, (_, _) => Results.NoContent())
            : Problems.Validation(errors);
    }

    private static async Task<IResult> UnlockAsync(string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        await rides.FindAsync(rideId, caller, fresh: false, ct) is { Viewer: RideViewer.Operator }
            ? await rides.ExecuteAsync(rideId, RideViewer.Operator, new UnlockStart(), ct)
            : Problems.NotFound($"Ride '{rideId}'");

    private static async Task<IResult> RateAsync(string rideId, RatingRequest request, Caller caller, RideContext rides, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Stars is not (>= 1 and <= 5))
        {
            errors["stars"] = ["stars is a whole number from 1 to 5."];
        }

        if (request.Comment is { Length: > RideRules.MaxCommentLength })
        {
            errors["comment"] = [$"comment is at most {RideRules.MaxCommentLength} characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var party = await rides.FindAsync(rideId, caller, fresh: false, ct) switch
        {
            { Viewer: RideViewer.Rider } => Party.Rider,
            { Viewer: RideViewer.Driver } => Party.Driver,
            _ => (Party?)null,
        };
        return party is { } by
            ? await rides.ExecuteAsync(rideId, by == Party.Rider ? RideViewer.Rider : RideViewer.Driver, new RateRide(by, request.Stars!.Value, request.Comment?.Trim()), ct)
            : Problems.NotFound($"Ride '{rideId}'");
    }
}
