using Atlas.Core.Bidding;
using Atlas.Core.Common;
using Atlas.Core.Integration;
using Atlas.Core.Notifications;
using Atlas.Core.Rides;
using static Atlas.Core.Bookings.BookingStatus;

namespace Atlas.Core.Bookings;

public sealed class BookingDecider(BookingRules rules) : Decider<Booking, BookingCommand>
{
    public const string Name = "booking";

    public BookingDecider()
        : this(BookingRules.Default)
    {
    }

    public static Rejection NotFound { get; } = new("booking-not-found", "There is no such booking.");

    public static Rejection NotOpenYet { get; } = new("bidding-not-open", "Bidding on this scheduled booking has not opened yet.");

    public static Rejection BiddingClosed { get; } = new("bidding-closed", "The bid window has closed.");

    public static Rejection Excluded { get; } = new("driver-excluded", "This booking was taken from you; it is open to other drivers.");

    public static Rejection Unsuitable { get; } = new("vehicle-unsuitable", "Your vehicle is not the type or size this booking needs.");

    public static Rejection AlreadyAssigned { get; } = new("booking-assigned", "A driver is assigned: cancel the ride instead.");

    public static Rejection AlreadyEnded { get; } = new("booking-ended", "The booking has ended.");

    public BookingRules Rules => rules;

    public override string Type => Name;

    public override Booking Initial => Booking.None;

    public override BookingCommand Timeout(DateTimeOffset deadline) => new BookingTimedOut(deadline);

    public override Decision<Booking> Decide(Booking state, BookingCommand command, DateTimeOffset now) => (state.Status, command) switch
    {
        (None, OpenBooking open) => Open(open.Terms, now),
        (None, _) => new Decision<Booking>.Rejected(NotFound),
        (_, OpenBooking) => Decision<Booking>.Ignore(),

        // A timeout counts only if it is the deadline the booking is waiting on, and it has come.
        (Scheduled, BookingTimedOut t) when t.Deadline == state.OpensAt && now >= t.Deadline => StartBidding(state, now),
        (BookingStatus.Bidding, BookingTimedOut t) when t.Deadline == state.Window!.ClosesAt && now >= t.Deadline => Close(state, now),
        (_, BookingTimedOut) => Decision<Booking>.Ignore(),

        (BookingStatus.Bidding, PlaceBid or WithdrawBid) when now >= state.Window!.ClosesAt => new Decision<Booking>.Rejected(BiddingClosed),
        (BookingStatus.Bidding, PlaceBid place) => Place(state, place),
        (BookingStatus.Bidding, WithdrawBid withdraw) when state.Bids.Any(b => b.DriverId == withdraw.DriverId) =>
            Decision<Booking>.Accept(state with { Bids = [.. state.Bids.Where(b => b.DriverId != withdraw.DriverId)] }, state.Window!.ClosesAt),
        (BookingStatus.Bidding, WithdrawBid) => Decision<Booking>.Ignore(),
        (Scheduled, PlaceBid or WithdrawBid) => new Decision<Booking>.Rejected(NotOpenYet),
        (_, PlaceBid or WithdrawBid) => new Decision<Booking>.Rejected(BiddingClosed),

        (Awarding, DriverReserved r) when IsOffered(state, r.RideId, r.DriverId) => Assign(state, now),
        (Awarding, DriverUnavailable u) when IsOffered(state, u.RideId, u.DriverId) => OfferNext(state, now),

        // The booking was cancelled while its ride was being offered, and the driver took it: undo the ride.
        (Cancelled, DriverReserved r) when state.Assignment is null && r.RideId == state.RideId =>
            Decision<Booking>.Accept(state, null, new RecallRide(r.RideId)),
        (_, DriverReserved or DriverUnavailable) => Decision<Booking>.Ignore(),

        (Scheduled or BookingStatus.Bidding or Awarding, CancelBooking cancel) => Cancel(state, cancel, now),
        (Assigned, CancelBooking) => new Decision<Booking>.Rejected(AlreadyAssigned),
        (Cancelled, CancelBooking) => Decision<Booking>.Ignore(),
        (_, CancelBooking) => new Decision<Booking>.Rejected(AlreadyEnded),

        (Assigned, RideEnded ended) when ended.RideId == state.Assignment!.RideId => FollowRide(state, ended, now),
        (_, RideEnded) => Decision<Booking>.Ignore(),

        (Assigned, RidePaymentDeclined declined) when declined.RideId == state.Assignment!.RideId => Unpaid(state, now),
        (_, RidePaymentDeclined) => Decision<Booking>.Ignore(),

        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };

    private Decision<Booking> Open(BookingTerms terms, DateTimeOffset now)
    {
        var booked = Booking.None with { Terms = terms };
        var created = Publish(booked, BusinessEvents.BookingCreated, now, terms.Quote.Total);
        if (terms.ScheduledAt is { } at && at - rules.BiddingLead > now)
        {
            var opensAt = at - rules.BiddingLead;
            return Decision<Booking>.Accept(booked with { Status = Scheduled, OpensAt = opensAt }, opensAt, created);
        }

        return StartBidding(booked, now).With(created);
    }

    /// <summary>A fresh bid window (a new round towards an assignment), and nearby drivers invited to it.</summary>
    private static Decision<Booking> StartBidding(Booking state, DateTimeOffset now, params Notice[] notices)
    {
        var terms = state.Terms!;
        var window = new BidWindow(now, now + terms.BidWindow, Extended: false);
        var next = state with { Status = BookingStatus.Bidding, OpensAt = null, Window = window, Bids = [], Candidate = 0, Round = state.Round + 1 };
        return Accept(next, [Invite(next), .. Announce(notices)]);
    }

    private static Decision<Booking> Place(Booking state, PlaceBid place)
    {
        var bid = place.Bid;
        if (state.Excluded.Contains(bid.DriverId))
        {
            return new Decision<Booking>.Rejected(Excluded);
        }

        if (!state.Terms!.Trip.FitsIn(place.Vehicle, place.Seats, place.Kg))
        {
            return new Decision<Booking>.Rejected(Unsuitable);
        }

        var (min, max) = Bids.Bounds(state.Terms!.Quote.Total);
        if (bid.Amount < min || bid.Amount > max)
        {
            return Decision<Booking>.Reject("bid-out-of-range", Bids.BoundsRule(state.Terms.Quote.Total));
        }

        // One live bid per driver: a new one replaces the old (and its time counts for tie-breaks).
        return Decision<Booking>.Accept(state with { Bids = [.. state.Bids.Where(b => b.DriverId != bid.DriverId), bid] }, state.Window!.ClosesAt);
    }

    private Decision<Booking> Close(Booking state, DateTimeOffset now) => state.Bids.Count > 0
        ? Offer(state with { Status = Awarding, Bids = Bids.Rank(state.Bids), Candidate = 0 })
        : NoDriver(state, now);

    private static Decision<Booking> Offer(Booking state)
    {
        var winner = state.CurrentCandidate!;
        var terms = state.Terms!;
        return Decision<Booking>.Accept(state, null, new AwardRide(state.RideId, winner, terms.RiderId, terms.Trip, terms.Quote.Currency, terms.BookedAt));
    }

    private Decision<Booking> OfferNext(Booking state, DateTimeOffset now) => state.Candidate + 1 < state.Bids.Count
        ? Offer(state with { Candidate = state.Candidate + 1 })
        : NoDriver(state, now);

    /// <summary>No bid, or every bidder is busy: extend the window once, then give up.</summary>
    private Decision<Booking> NoDriver(Booking state, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var losers = LostNotices(state, except: null);
        if (!state.Window!.Extended)
        {
            var next = state with
            {
                Status = BookingStatus.Bidding,
                Window = new BidWindow(state.Window.OpenedAt, now + terms.BidWindow, Extended: true),
                Bids = [],
                Candidate = 0,
            };
            return Accept(next, [Invite(next), .. Announce([new Notice(terms.RiderId, "booking.extended", terms.BookingId), .. losers])]);
        }

        return Decision<Booking>.Accept(
            Ended(state, Expired, now, by: null, reason: "no-driver", fee: 0),
            null,
            new Notify([new Notice(terms.RiderId, "booking.expired", terms.BookingId), .. losers]));
    }

    private static Decision<Booking> Assign(Booking state, DateTimeOffset now)
    {
        var winner = state.CurrentCandidate!;
        var terms = state.Terms!;
        var assignment = new Assignment(state.RideId, winner.DriverId, winner.DriverUserId, winner.CompanyId, winner.Amount, now);
        var next = state with { Status = Assigned, Assignment = assignment, Bids = [], Candidate = 0, Window = state.Window };
        return Decision<Booking>.Accept(
            next,
            null,
            new HoldPayment(assignment.RideId, terms.RiderId, winner.DriverId, winner.DriverUserId, winner.CompanyId, winner.Amount, terms.Quote.Currency),
            new Notify(
            [
                new Notice(terms.RiderId, "booking.assigned", terms.BookingId, winner.Amount, assignment.RideId),
                new Notice(winner.DriverUserId, "bid.won", terms.BookingId, winner.Amount, assignment.RideId),
                .. LostNotices(state, except: winner.DriverId),
            ]),
            new Publish(new BusinessEvent(
                BusinessEvents.RideAssigned, now, winner.CompanyId, terms.BookingId, assignment.RideId, winner.DriverId, winner.Amount, terms.Quote.Currency)));
    }

    private static Decision<Booking> Cancel(Booking state, CancelBooking cancel, DateTimeOffset now)
    {
        var terms = state.Terms!;
        IEnumerable<Notice> bidders = state.Bids.Select(b => new Notice(b.DriverUserId, "booking.cancelled", terms.BookingId));
        return Decision<Booking>.Accept(
            Ended(state, Cancelled, now, cancel.By, cancel.Reason, fee: 0),
            null,
            new Notify([new Notice(terms.RiderId, "booking.cancelled", terms.BookingId), .. bidders]),
            Publish(state, BusinessEvents.BookingCancelled, now, reason: cancel.Reason));
    }

    /// <summary>The ride ended. The rider's own outcomes end the booking; a driver who dropped out (cancelled, or did
    /// not set off in time) sends it back to bidding without that driver, for a limited number of rounds.</summary>
    private Decision<Booking> FollowRide(Booking state, RideEnded ended, DateTimeOffset now)
    {
        var terms = state.Terms!;
        if (ended.Outcome is RideStatus.Completed or RideStatus.NoShow || ended.By == Party.Rider)
        {
            var status = ended.Outcome switch
            {
                RideStatus.Completed => Completed,
                RideStatus.NoShow => NoShow,
                _ => Cancelled,
            };
            var ending = Decision<Booking>.Accept(Ended(state, status, now, ended.By, ended.Reason, ended.Fee), null);
            return status == Cancelled ? ending.With(Publish(state, BusinessEvents.BookingCancelled, now, ended.Fee, ended.Reason)) : ending;
        }

        var dropped = state with { Excluded = [.. state.Excluded, state.Assignment!.DriverId], Assignment = null };
        if (state.Round >= rules.MaxRounds)
        {
            return Decision<Booking>.Accept(
                Ended(dropped, Expired, now, by: null, reason: "no-driver", fee: 0),
                null,
                new Notify([new Notice(terms.RiderId, "booking.expired", terms.BookingId)]));
        }

        return StartBidding(dropped, now, new Notice(terms.RiderId, "booking.reassigning", terms.BookingId));
    }

    /// <summary>The rider's card was declined for the assigned ride: the ride is called off (its driver did nothing
    /// wrong and may bid again) and bidding reopens once, so the rider can fix their card; a second decline cancels.</summary>
    private Decision<Booking> Unpaid(Booking state, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var recall = new RecallRide(state.Assignment!.RideId, RecallRide.CardDeclined);
        var unassigned = state with { Assignment = null, PaymentDeclines = state.PaymentDeclines + 1 };
        if (state.PaymentDeclines > 0 || state.Round >= rules.MaxRounds)
        {
            return Decision<Booking>.Accept(
                Ended(unassigned, Cancelled, now, Party.System, RecallRide.CardDeclined, fee: 0),
                null,
                recall,
                new Notify([new Notice(terms.RiderId, "booking.cancelled", terms.BookingId)]),
                Publish(state, BusinessEvents.BookingCancelled, now, reason: RecallRide.CardDeclined));
        }

        var reopened = StartBidding(unassigned, now, new Notice(terms.RiderId, "booking.reopened", terms.BookingId));
        return reopened is Decision<Booking>.Accepted accepted ? accepted with { Effects = [recall, .. accepted.Effects] } : reopened;
    }

    private static bool IsOffered(Booking state, string rideId, string driverId) =>
        rideId == state.RideId && state.CurrentCandidate?.DriverId == driverId;

    private static IEnumerable<Notice> LostNotices(Booking state, string? except) => state.Bids
        .Where(b => b.DriverId != except)
        .Select(b => new Notice(b.DriverUserId, "bid.lost", state.Terms!.BookingId));

    private static Booking Ended(Booking state, BookingStatus status, DateTimeOffset now, Party? by, string? reason, long fee) =>
        state with { Status = status, OpensAt = null, Bids = [], Candidate = 0, Ending = new Ending(now, by, reason, fee) };

    /// <summary>A booking's business event: it belongs to the booker's company (none for a rider's own booking).</summary>
    private static Publish Publish(Booking state, string type, DateTimeOffset now, long? amount = null, string? reason = null)
    {
        var terms = state.Terms!;
        return new Publish(new BusinessEvent(
            type, now, terms.CompanyId, terms.BookingId, Amount: amount, Currency: amount is null ? null : terms.Quote.Currency, Reason: reason));
    }

    private static InviteDrivers Invite(Booking state)
    {
        var terms = state.Terms!;
        return new InviteDrivers(terms.Trip, terms.Quote.Total, terms.Quote.Currency, state.Window!.ClosesAt, state.Excluded);
    }

    private static IEnumerable<Effect> Announce(IReadOnlyCollection<Notice> notices) => notices.Count > 0 ? [new Notify([.. notices])] : [];

    private static Decision<Booking> Accept(Booking state, IEnumerable<Effect> effects) =>
        new Decision<Booking>.Accepted(state, [.. effects], state.Window!.ClosesAt);
}
