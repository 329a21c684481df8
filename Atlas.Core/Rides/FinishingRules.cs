using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Payments;

namespace Atlas.Core.Rides;

/// <summary>What a ride's end (<see cref="FinishRide"/>) tells each lifecycle it spans: the driver is free for the next
/// ride, the booking follows the ride's outcome (or goes back to bidding when the driver dropped out), and the escrow
/// charges what the end makes due (the fare, a fee, or nothing). Each command is idempotent, so all three are sent on
/// every delivery.</summary>
public sealed record RideFinish(DriverDutyCommand Driver, BookingCommand Booking, EscrowCommand Escrow);

public static class FinishingRules
{
    public static RideFinish Finish(string rideId, FinishRide finished) => new(
        new ReleaseDriver(rideId),
        new RideEnded(rideId, finished.Outcome, finished.By, finished.Reason, finished.Fee),
        new RideOver(finished.Outcome, finished.Fee));
}
