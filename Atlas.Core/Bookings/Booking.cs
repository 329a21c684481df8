using Atlas.Core.Bidding;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;
using Atlas.Core.Rides;

namespace Atlas.Core.Bookings;

// A booking, from the quote it was made from to its outcome. It owns the blind bid window: bids are sealed in
// its state until the window closes, then the best one is offered to its driver (whose own instance decides
// whether they are free), and the winner's ride runs as a lifecycle of its own.

public enum BookingStatus
{
    None,

    /// <summary>Booked ahead: bidding opens a little before the pickup time.</summary>
    Scheduled,
    Bidding,

    /// <summary>The window closed with bids: the best bidder's instance is asked to take the ride.</summary>
    Awarding,
    Assigned,
    Completed,
    Cancelled,
    NoShow,

    /// <summary>No driver took it: no bids in the window and its one extension, or too many reassignments.</summary>
    Expired,
}

/// <param name="Seats">Seats the rider needs, if they said.</param>
/// <param name="Kg">The load's weight, if it is a load.</param>
public sealed record Trip(GeoPoint Pickup, GeoPoint Dropoff, VehicleType VehicleType, int? Seats, int? Kg)
{
    public bool FitsIn(VehicleType type, int? seats, int? kg) =>
        type == VehicleType && (Seats is null || seats >= Seats) && (Kg is null || kg >= Kg);
}

/// <summary>What was booked, fixed when the booking is made.</summary>
/// <param name="RiderId">The user who booked (a rider, or a dispatcher booking for their company).</param>
/// <param name="CompanyId">The booker's company when a dispatcher booked; null for a rider.</param>
public sealed record BookingTerms(
    string BookingId, string RiderId, string? CompanyId, Trip Trip, Fare Quote, DateTimeOffset? ScheduledAt, TimeSpan BidWindow, DateTimeOffset BookedAt);

public sealed record BidWindow(DateTimeOffset OpenedAt, DateTimeOffset ClosesAt, bool Extended);

public sealed record Assignment(string RideId, string DriverId, string DriverUserId, string CompanyId, long Price, DateTimeOffset AssignedAt);

/// <summary>How the booking ended: when, by whom, why, and the fee the rider owes (minor units).</summary>
public sealed record Ending(DateTimeOffset At, Party? By, string? Reason, long Fee);

/// <param name="Bids">The live bids while bidding; the ranked bids while awarding.</param>
/// <param name="Candidate">While awarding, the index in <paramref name="Bids"/> of the bid being offered.</param>
/// <param name="Round">How many bid windows have led towards an assignment (a reassignment starts another).</param>
/// <param name="Excluded">Drivers who lost this booking's ride by not moving or cancelling: they cannot bid again.</param>
/// <param name="PaymentDeclines">How many assigned rides were undone because the rider's card was declined.</param>
public sealed record Booking(
    BookingStatus Status,
    BookingTerms? Terms,
    DateTimeOffset? OpensAt,
    BidWindow? Window,
    IReadOnlyList<Bid> Bids,
    int Candidate,
    int Round,
    IReadOnlyList<string> Excluded,
    Assignment? Assignment,
    Ending? Ending,
    int PaymentDeclines = 0)
{
    public static Booking None { get; } = new(BookingStatus.None, null, null, null, [], 0, 0, [], null, null);

    public bool IsOpen => Status is BookingStatus.Scheduled or BookingStatus.Bidding or BookingStatus.Awarding;

    /// <summary>Ended: nothing it decides on is left to happen (its journey waits on it no more).</summary>
    public bool IsOver => Status is BookingStatus.Completed or BookingStatus.Cancelled or BookingStatus.NoShow or BookingStatus.Expired;

    /// <summary>The id of the ride this round's assignment creates.</summary>
    public string RideId => RideIds.For(Terms!.BookingId, Round);

    public Bid? CurrentCandidate => Status == BookingStatus.Awarding ? Bids[Candidate] : null;
}

public abstract record BookingCommand;

public sealed record OpenBooking(BookingTerms Terms) : BookingCommand;

/// <summary>A driver bids, with what their vehicle is and carries (it must fit the trip).</summary>
public sealed record PlaceBid(Bid Bid, VehicleType Vehicle, int? Seats, int? Kg) : BookingCommand;

public sealed record WithdrawBid(string DriverId) : BookingCommand;

public sealed record CancelBooking(Party By, string Reason) : BookingCommand;

/// <summary>The driver's instance took the ride (and the ride was created).</summary>
public sealed record DriverReserved(string RideId, string DriverId) : BookingCommand;

/// <summary>The driver's instance refused: the driver has another active ride.</summary>
public sealed record DriverUnavailable(string RideId, string DriverId) : BookingCommand;

/// <summary>The assigned ride ended; the booking follows it, or opens bidding again when the driver dropped out.</summary>
public sealed record RideEnded(string RideId, RideStatus Outcome, Party? By, string? Reason, long Fee) : BookingCommand;

/// <summary>The rider's card could not be authorised for the assigned ride.</summary>
public sealed record RidePaymentDeclined(string RideId) : BookingCommand;

public sealed record BookingTimedOut(DateTimeOffset Deadline) : BookingCommand;

/// <summary>Tell nearby free drivers with a fitting vehicle that a booking is open for bids.</summary>
public sealed record InviteDrivers(Trip Trip, long QuoteTotal, string Currency, DateTimeOffset ClosesAt, IReadOnlyList<string> Excluded) : Effect;

/// <summary>Offer the ride to the winning bidder: reserve the driver, create the ride, answer DriverReserved or DriverUnavailable.</summary>
public sealed record AwardRide(string RideId, Bid Winner, string RiderId, Trip Trip, string Currency, DateTimeOffset BookedAt) : Effect;

/// <summary>Cancel a ride the booking no longer wants (the booking was cancelled while it was awarded, or the card was
/// declined), which frees its driver.</summary>
public sealed record RecallRide(string RideId, string Reason = RecallRide.BookingCancelled) : Effect
{
    public const string BookingCancelled = "booking-cancelled";
    public const string CardDeclined = "payment-declined";
}

/// <summary>Hold the winning price on the rider's card: opens the ride's escrow.</summary>
public sealed record HoldPayment(string RideId, string RiderId, string DriverId, string DriverUserId, string CompanyId, long Price, string Currency) : Effect;

/// <param name="BiddingLead">How long before a scheduled pickup its bidding opens.</param>
/// <param name="MaxRounds">Bid windows a booking gets towards an assignment before it expires.</param>
/// <param name="MaxAhead">How far ahead a ride can be booked.</param>
public sealed record BookingRules(TimeSpan BiddingLead, int MaxRounds, TimeSpan MaxAhead)
{
    public static BookingRules Default { get; } = new(TimeSpan.FromMinutes(20), 3, TimeSpan.FromDays(30));
}
