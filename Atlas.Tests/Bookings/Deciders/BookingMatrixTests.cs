using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Rides;
using static Atlas.Tests.Bookings.Deciders.BookingFixtures;

namespace Atlas.Tests.Bookings.Deciders;

/// <summary>Every booking state × every command: accepted, nothing to do, or refused with which reason.</summary>
public sealed class BookingMatrixTests
{
    private static readonly Dictionary<string, Func<Booking>> States = new()
    {
        ["none"] = () => Booking.None,
        ["scheduled"] = Scheduled,
        ["bidding"] = () => Bidding(BidOf("drv_a", 900)),
        ["awarding"] = () => Awarding(BidOf("drv_a", 900)),
        ["assigned"] = Assigned,
        ["completed"] = () => Ended(RideStatus.Completed),
        ["cancelled"] = Cancelled,
        ["noShow"] = () => Ended(RideStatus.NoShow, Party.Driver, 500),
        ["expired"] = Expired,
    };

    private static readonly Dictionary<string, BookingCommand> Commands = new()
    {
        ["open"] = new OpenBooking(Terms()),
        ["bid"] = Place(BidOf("drv_b", 1000)),
        ["withdraw"] = new WithdrawBid("drv_a"),
        ["cancel"] = new CancelBooking(Party.Rider, "changedPlans"),
        ["reserved"] = new DriverReserved(Ride1, "drv_a"),
        ["unavailable"] = new DriverUnavailable(Ride1, "drv_a"),
        ["rideEnded"] = new RideEnded(Ride1, RideStatus.Completed, null, null, 0),
        ["staleTimeout"] = new BookingTimedOut(Now.AddYears(-1)),
    };

    // accepted | unchanged | the rejection code
    public static TheoryData<string, string, string> Expected => new()
    {
        { "none", "open", "accepted" }, { "none", "bid", "booking-not-found" }, { "none", "withdraw", "booking-not-found" },
        { "none", "cancel", "booking-not-found" }, { "none", "reserved", "booking-not-found" }, { "none", "unavailable", "booking-not-found" },
        { "none", "rideEnded", "booking-not-found" }, { "none", "staleTimeout", "booking-not-found" },

        { "scheduled", "open", "unchanged" }, { "scheduled", "bid", "bidding-not-open" }, { "scheduled", "withdraw", "bidding-not-open" },
        { "scheduled", "cancel", "accepted" }, { "scheduled", "reserved", "unchanged" }, { "scheduled", "unavailable", "unchanged" },
        { "scheduled", "rideEnded", "unchanged" }, { "scheduled", "staleTimeout", "unchanged" },

        { "bidding", "open", "unchanged" }, { "bidding", "bid", "accepted" }, { "bidding", "withdraw", "accepted" },
        { "bidding", "cancel", "accepted" }, { "bidding", "reserved", "unchanged" }, { "bidding", "unavailable", "unchanged" },
        { "bidding", "rideEnded", "unchanged" }, { "bidding", "staleTimeout", "unchanged" },

        { "awarding", "open", "unchanged" }, { "awarding", "bid", "bidding-closed" }, { "awarding", "withdraw", "bidding-closed" },
        { "awarding", "cancel", "accepted" }, { "awarding", "reserved", "accepted" }, { "awarding", "unavailable", "accepted" },
        { "awarding", "rideEnded", "unchanged" }, { "awarding", "staleTimeout", "unchanged" },

        { "assigned", "open", "unchanged" }, { "assigned", "bid", "bidding-closed" }, { "assigned", "withdraw", "bidding-closed" },
        { "assigned", "cancel", "booking-assigned" }, { "assigned", "reserved", "unchanged" }, { "assigned", "unavailable", "unchanged" },
        { "assigned", "rideEnded", "accepted" }, { "assigned", "staleTimeout", "unchanged" },

        { "completed", "open", "unchanged" }, { "completed", "bid", "bidding-closed" }, { "completed", "withdraw", "bidding-closed" },
        { "completed", "cancel", "booking-ended" }, { "completed", "reserved", "unchanged" }, { "completed", "unavailable", "unchanged" },
        { "completed", "rideEnded", "unchanged" }, { "completed", "staleTimeout", "unchanged" },

        // A reservation that lands after the cancellation is undone (the ride is recalled).
        { "cancelled", "open", "unchanged" }, { "cancelled", "bid", "bidding-closed" }, { "cancelled", "withdraw", "bidding-closed" },
        { "cancelled", "cancel", "unchanged" }, { "cancelled", "reserved", "accepted" }, { "cancelled", "unavailable", "unchanged" },
        { "cancelled", "rideEnded", "unchanged" }, { "cancelled", "staleTimeout", "unchanged" },

        { "noShow", "open", "unchanged" }, { "noShow", "bid", "bidding-closed" }, { "noShow", "withdraw", "bidding-closed" },
        { "noShow", "cancel", "booking-ended" }, { "noShow", "reserved", "unchanged" }, { "noShow", "unavailable", "unchanged" },
        { "noShow", "rideEnded", "unchanged" }, { "noShow", "staleTimeout", "unchanged" },

        { "expired", "open", "unchanged" }, { "expired", "bid", "bidding-closed" }, { "expired", "withdraw", "bidding-closed" },
        { "expired", "cancel", "booking-ended" }, { "expired", "reserved", "unchanged" }, { "expired", "unavailable", "unchanged" },
        { "expired", "rideEnded", "unchanged" }, { "expired", "staleTimeout", "unchanged" },
    };

    [Fact]
    public void The_matrix_covers_every_state_and_command()
    {
        var covered = Expected.Select(row => ((string)row[0], (string)row[1])).ToHashSet();

        Assert.Equal(States.Count * Commands.Count, covered.Count);
        Assert.Equal(Enum.GetValues<BookingStatus>().Length, States.Count);
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void GivenState_WhenCommand_ThenAsTheMatrixSays(string state, string command, string expected)
    {
        var given = States[state]();
        var at = given.Status == BookingStatus.Bidding ? Now.AddSeconds(20) : ClosesAt.AddMinutes(30);

        var decision = Decider.Decide(given, Commands[command], at);

        var outcome = decision switch
        {
            Decision<Booking>.Accepted => "accepted",
            Decision<Booking>.Unchanged => "unchanged",
            Decision<Booking>.Rejected r => r.Rejection.Code,
            _ => "?",
        };
        Assert.Equal(expected, outcome);
    }
}
