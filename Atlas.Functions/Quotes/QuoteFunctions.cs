using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Quotes;

/// <summary>POST /api/quotes: the price of a trip, valid ten minutes, to book with.</summary>
public static class QuoteFunctions
{
    public const double MinDistanceKm = 0.01;
    public const double MaxDistanceKm = 1000;

    public sealed record QuoteRequest([property: Required] PointBody? Pickup, [property: Required] PointBody? Dropoff, [property: Required] VehicleType? VehicleType, DateTimeOffset? ScheduledAt);

    public sealed record QuoteResponse(
        string QuoteId, GeoPoint Pickup, GeoPoint Dropoff, VehicleType VehicleType, DateTimeOffset? ScheduledAt, Fare Fare, DateTimeOffset ExpiresAt);

    [Function("CreateQuote")]
    [Roles(Role.Rider, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(QuoteResponse))]
    public static IResult CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "quotes")] HttpRequest http,
        [Body] QuoteRequest request, Caller caller, PriceList prices, QuoteTokens tokens, BookingDecider bookings, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var pickup = Coordinates.Read(request.Pickup, "pickup", errors);
        var dropoff = Coordinates.Read(request.Dropoff, "dropoff", errors);
        if (request.VehicleType is null)
        {
            errors["vehicleType"] = ["vehicleType is one of bike, car, van, truck."];
        }

        if (pickup is { } from && dropoff is { } to && from.DistanceKm(to) is var km && km is < MinDistanceKm or > MaxDistanceKm)
        {
            errors["dropoff"] = [km < MinDistanceKm
                ? "dropoff must be somewhere else than pickup."
                : $"dropoff is at most {MaxDistanceKm:0} km from pickup."];
        }

        if (request.ScheduledAt is { } at && (at < now || at > now + bookings.Rules.MaxAhead))
        {
            errors["scheduledAt"] = [$"scheduledAt is in the future, at most {bookings.Rules.MaxAhead.TotalDays:0} days ahead (omit it to ride now)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var quote = new Quote(
            caller.UserId, pickup!.Value, dropoff!.Value, request.VehicleType!.Value, request.ScheduledAt, prices.Price(pickup.Value, dropoff.Value, request.VehicleType.Value), now + Quote.Lifetime);
        return Results.Ok(new QuoteResponse(
            tokens.Sign(quote),
            quote.Pickup,
            quote.Dropoff,
            quote.VehicleType,
            quote.ScheduledAt,
            quote.Fare,
            quote.ExpiresAt));
    }
}
