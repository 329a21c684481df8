using Atlas.Core.Bidding;
using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;
using Atlas.Core.Rides;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>Bookings in each state, made by running the decider itself through the commands that lead there.</summary>
internal static class BookingFixtures
{
    public const string BookingId = "bk_test";
    public const string Rider = "usr_rider";
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    public static readonly DateTimeOffset ClosesAt = Now + Window;
    public static readonly Fare Quote = new("GBP", 250, 500, 200, 0, 0, 100, 4.2, 10, 1m);
    public static readonly string Ride1 = RideIds.For(BookingId, 1);
    public static readonly BookingDecider Decider = new();

    public static BookingTerms Terms(DateTimeOffset? scheduledAt = null, int? seats = 2) => new(
        BookingId, Rider, null, new Trip(new GeoPoint(51.5, -0.12), new GeoPoint(51.52, -0.13), VehicleType.Car, seats, null), Quote, scheduledAt, Window, Now);

    public static Bid BidOf(string driver, long amount, double? rating = null, int secondsIn = 10) =>
        new(driver, "usr_" + driver, "co_" + driver, amount, rating, Now.AddSeconds(secondsIn));

    public static PlaceBid Place(Bid bid, VehicleType vehicle = VehicleType.Car, int? seats = 4) => new(bid, vehicle, seats, null);

    /// <summary>Runs the commands, each at its time, from a new booking; every one must be accepted.</summary>
    public static Booking Given(params (BookingCommand Command, DateTimeOffset At)[] history) => DeciderHistory.Run(Decider, history);

    public static Booking Scheduled() => Given((new OpenBooking(Terms(Now.AddHours(2))), Now));

    public static Booking Bidding(params Bid[] bids) =>
        Given([(new OpenBooking(Terms()), Now), .. bids.Select(b => ((BookingCommand)Place(b), b.PlacedAt))]);

    public static Booking Awarding(params Bid[] bids) =>
        Given([(new OpenBooking(Terms()), Now), .. bids.Select(b => ((BookingCommand)Place(b), b.PlacedAt)), (new BookingTimedOut(ClosesAt), ClosesAt)]);

    public static Booking Assigned() =>
        Given((new OpenBooking(Terms()), Now), (Place(BidOf("drv_a", 900)), Now.AddSeconds(5)), (new BookingTimedOut(ClosesAt), ClosesAt), (new DriverReserved(Ride1, "drv_a"), ClosesAt.AddSeconds(1)));

    public static Booking Ended(RideStatus outcome, Party? by = null, long fee = 0)
    {
        var assigned = Assigned();
        return Assert.IsType<Decision<Booking>.Accepted>(
            Decider.Decide(assigned, new RideEnded(Ride1, outcome, by, "why", fee), ClosesAt.AddMinutes(20))).State;
    }

    public static Booking Cancelled() => Given((new OpenBooking(Terms()), Now), (new CancelBooking(Party.Rider, "changedPlans"), Now.AddSeconds(5)));

    public static Booking Expired() =>
        Given((new OpenBooking(Terms()), Now), (new BookingTimedOut(ClosesAt), ClosesAt), (new BookingTimedOut(ClosesAt + Window), ClosesAt + Window));
}
