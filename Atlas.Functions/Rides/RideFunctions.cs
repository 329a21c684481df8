using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Rides;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Rides;

/// <summary>The ride as its driver runs it (set off, arrive, start with the rider's code, complete), what the
/// rider and the driver's company see of it, and the ratings after.</summary>
public static class RideFunctions
{
    public sealed record StartRequest([property: Required] string? Code);

    public sealed record DriverCancelRequest([property: Required] DriverCancelReason? Reason);

    public sealed record LocationRequest([property: Required] double? Lat, [property: Required] double? Lng);

    public sealed record RatingRequest([property: Required] int? Stars, string? Comment);

    public enum DriverCancelReason
    {
        VehicleProblem,
        RiderUnreachable,
        UnsafePickup,
        Other,
    }

    [Function("GetRide")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rides/{rideId}")] HttpRequest http,
        string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        await rides.FindAsync(rideId, caller, fresh: true, ct) is { } found
            ? Results.Ok(rides.Show(rideId, found.Ride, found.Viewer))
            : Problems.NotFound($"Ride '{rideId}'");

    [Function("SetOff")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static Task<IResult> SetOffAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/set-off")] HttpRequest http, string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        rides.DriveAsync(rideId, caller, new SetOff(), ct);

    [Function("Arrive")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static Task<IResult> ArriveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/arrive")] HttpRequest http, string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        rides.DriveAsync(rideId, caller, new Arrive(), ct);

    [Function("CompleteRide")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static Task<IResult> CompleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/complete")] HttpRequest http, string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        rides.DriveAsync(rideId, caller, new CompleteRide(), ct);

    [Function("MarkNoShow")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static Task<IResult> MarkNoShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/no-show")] HttpRequest http, string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        rides.DriveAsync(rideId, caller, new MarkNoShow(), ct);

    [Function("StartRide")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/start")] HttpRequest http,
        string rideId, [Body] StartRequest request, Caller caller, RideContext rides, CancellationToken ct)
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

    [Function("CancelRide")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/cancel")] HttpRequest http,
        string rideId, [Body] DriverCancelRequest request, Caller caller, RideContext rides, CancellationToken ct) =>
        request.Reason is { } reason
            ? await rides.DriveAsync(rideId, caller, new CancelRide(Party.Driver, JsonNamingPolicy.CamelCase.ConvertName(reason.ToString())), ct)
            : Problems.Validation("reason", "reason is one of vehicleProblem, riderUnreachable, unsafePickup, other.");

    [Function("ReportRideLocation")]
    [Roles(Role.Driver)]
    [RateLimit(RateLimits.Location)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> ReportLocationAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/location")] HttpRequest http,
        string rideId, [Body] LocationRequest request, Caller caller, RideContext rides, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        return Coordinates.Read(request.Lat, request.Lng, "", errors) is { } point
            ? await rides.DriveAsync(rideId, caller, new ReportRideLocation(point), ct, (_, _) => Results.NoContent())
            : Problems.Validation(errors);
    }

    [Function("UnlockRideStart")]
    [Roles(Role.Dispatcher, Role.CompanyAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> UnlockAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/unlock-start")] HttpRequest http,
        string rideId, Caller caller, RideContext rides, CancellationToken ct) =>
        await rides.FindAsync(rideId, caller, fresh: false, ct) is { Viewer: RideViewer.Operator }
            ? await rides.ExecuteAsync(rideId, RideViewer.Operator, new UnlockStart(), ct)
            : Problems.NotFound($"Ride '{rideId}'");

    [Function("RateRide")]
    [Roles(Role.Rider, Role.Dispatcher, Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(RideView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> RateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/rating")] HttpRequest http,
        string rideId, [Body] RatingRequest request, Caller caller, RideContext rides, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Stars is not (>= 1 and <= 5))
        {
            errors["stars"] = ["stars is a whole number from 1 to 5."];
        }

        if (request.Comment is { Length: > RideRules.MaxCommentLength } || (request.Comment is { } comment && FreeText.HasHiddenCharacters(comment)))
        {
            errors["comment"] = [$"comment is at most {RideRules.MaxCommentLength} characters, without control, bidirectional-override or line-separator characters."];
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
