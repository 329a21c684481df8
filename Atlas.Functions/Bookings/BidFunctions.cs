using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Bidding;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Drivers;
using Atlas.Functions.Auth;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Bookings;

/// <summary>Drivers bid on open bookings: one sealed bid each, replaced or withdrawn until the window closes.</summary>
public static class BidFunctions
{
    public sealed record BidRequest([property: Required] long? Amount);

    public sealed record BidResponse(string BookingId, long Amount, string Currency, DateTimeOffset PlacedAt, DateTimeOffset ClosesAt);

    [Function("PlaceBid")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(BidResponse))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> PlaceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bookings/{bookingId}/bids")] HttpRequest http,
        string bookingId,
        [Body] BidRequest request,
        Caller caller,
        CompanyStore companies,
        Lifecycle<Booking, BookingCommand> bookings,
        Lifecycle<DriverDuty, DriverDutyCommand> duties,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (request.Amount is not { } amount || amount <= 0)
        {
            return Problems.Validation("amount", "amount is a whole number of minor units (pence, cents), within half to twice the quote.");
        }

        if (!LifecycleKeys.IsValidId(bookingId))
        {
            return Problems.NotFound($"Booking '{bookingId}'");
        }

        if (await companies.FindDriverAsync(caller.CompanyId!, caller.MemberId!, ct) is not { } driver)
        {
            return Problems.NotFound("Your driver profile");
        }

        if (driver is not { Available: true, Fit: { } fit })
        {
            return Problems.Rejected(new Rejection("driver-unavailable", "Go available, with a vehicle, to bid."));
        }

        // Early word for the driver; the driver's own instance has the final say when a bid wins.
        var (duty, _) = await duties.GetAsync(driver.Id, ct, cachedIsEnough: true);
        if (duty.ActiveRideId is not null)
        {
            return Problems.Rejected(DriverDutyDecider.Busy);
        }

        var bid = new Bid(driver.Id, caller.UserId, caller.CompanyId!, amount, driver.Rating, clock.GetUtcNow());
        var placed = await bookings.ExecuteAsync(bookingId, new PlaceBid(bid, fit.Type, fit.Seats, fit.Kg), ct);
        return placed.Rejection?.Code switch
        {
            not null when !SeenBy(caller, placed.State) => Problems.NotFound($"Booking '{bookingId}'"),
            "bid-out-of-range" => Problems.Validation("amount", placed.Rejection.Reason),
            _ => Problems.For(placed, r => Results.Ok(new BidResponse(
                bookingId, amount, r.State.Terms!.Quote.Currency, bid.PlacedAt, r.State.Window!.ClosesAt))),
        };
    }

    [Function("WithdrawBid")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> WithdrawAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "bookings/{bookingId}/bids/mine")] HttpRequest http,
        string bookingId, Caller caller, Lifecycle<Booking, BookingCommand> bookings, CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(bookingId))
        {
            return Problems.NotFound($"Booking '{bookingId}'");
        }

        var withdrawn = await bookings.ExecuteAsync(bookingId, new WithdrawBid(caller.MemberId!), ct);
        return withdrawn.Rejection is not null && !SeenBy(caller, withdrawn.State)
            ? Problems.NotFound($"Booking '{bookingId}'")
            : Problems.For(withdrawn, _ => Results.NoContent());
    }

    /// <summary>A refusal may say why only to a driver who can see the booking (open for bids, or theirs): to anyone
    /// else the booking does not exist, whatever state it is in.</summary>
    private static bool SeenBy(Caller caller, Booking booking) =>
        booking.Status != BookingStatus.None && BookingViews.ViewerOf(caller, booking) != BookingViewer.None;
}
