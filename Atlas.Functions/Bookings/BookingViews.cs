using Atlas.Core.Auth;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;

namespace Atlas.Functions.Bookings;

/// <summary>How a caller stands to a booking, which decides what they see of it.</summary>
public enum BookingViewer
{
    /// <summary>Not theirs: answered as not found.</summary>
    None,

    /// <summary>The rider who booked, or a dispatcher or admin of the company that booked. Sees the bid count, never amounts.</summary>
    Booker,

    /// <summary>Any driver while the booking takes bids: sees the trip and only their own bid.</summary>
    Bidder,

    /// <summary>The assigned driver, or a dispatcher or admin of their company.</summary>
    Operator,

    PlatformAdmin,
}

public sealed record BookingView(
    string Id,
    BookingStatus Status,
    GeoPoint Pickup,
    GeoPoint Dropoff,
    VehicleType VehicleType,
    int? Seats,
    int? Kg,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset BookedAt,
    Fare Quote,
    BiddingView? Bidding,
    AssignmentView? Assignment,
    EndingView? Ending);

/// <param name="BidCount">For the booker: how many bids there are (never their amounts).</param>
/// <param name="MyBid">For a driver: their own live bid, if any.</param>
public sealed record BiddingView(DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, bool Extended, int? BidCount, long? MyBid);

public sealed record AssignmentView(string RideId, string DriverId, string CompanyId, long Price, string Currency, DateTimeOffset AssignedAt);

public sealed record EndingView(DateTimeOffset At, string? By, string? Reason, long Fee, string Currency);

public static class BookingViews
{
    public static BookingViewer ViewerOf(Caller caller, Booking booking)
    {
        var terms = booking.Terms!;
        var staff = caller.Role is Role.Dispatcher or Role.CompanyAdmin;
        return caller switch
        {
            { Role: Role.PlatformAdmin } => BookingViewer.PlatformAdmin,
            _ when caller.UserId == terms.RiderId => BookingViewer.Booker,
            _ when staff && terms.CompanyId is { } booker && caller.BelongsTo(booker) => BookingViewer.Booker,
            _ when staff && booking.Assignment is { } a && caller.BelongsTo(a.CompanyId) => BookingViewer.Operator,
            { Role: Role.Driver } when booking.Assignment is { } a && a.DriverId == caller.MemberId => BookingViewer.Operator,
            { Role: Role.Driver } when booking.Status is BookingStatus.Bidding => BookingViewer.Bidder,
            _ => BookingViewer.None,
        };
    }

    public static BookingView Show(Booking booking, BookingViewer viewer, Caller caller)
    {
        var terms = booking.Terms!;
        var currency = terms.Quote.Currency;
        var bidding = booking.Status switch
        {
            BookingStatus.Scheduled => new BiddingView(booking.OpensAt, null, false, null, null),
            BookingStatus.Bidding => new BiddingView(
                booking.Window!.OpenedAt,
                booking.Window.ClosesAt,
                booking.Window.Extended,
                viewer is BookingViewer.Booker or BookingViewer.PlatformAdmin ? booking.Bids.Count : null,
                viewer == BookingViewer.Bidder ? booking.Bids.FirstOrDefault(b => b.DriverId == caller.MemberId)?.Amount : null),
            _ => null,
        };
        var assignment = booking.Assignment is { } a
            ? new AssignmentView(a.RideId, a.DriverId, a.CompanyId, a.Price, currency, a.AssignedAt)
            : null;
        var ending = booking.Ending is { } e
            ? new EndingView(e.At, e.By?.ToString().ToLowerInvariant(), e.Reason, e.Fee, currency)
            : null;
        return new BookingView(
            terms.BookingId,
            booking.Status,
            terms.Trip.Pickup,
            terms.Trip.Dropoff,
            terms.Trip.VehicleType,
            terms.Trip.Seats,
            terms.Trip.Kg,
            terms.ScheduledAt,
            terms.BookedAt,
            terms.Quote,
            bidding,
            assignment,
            ending);
    }
}
