using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Rides;

/// <summary>Carries out <see cref="FinishRide"/>: the driver is free for the next ride, and the booking follows the
/// ride's outcome (or goes back to bidding when the driver dropped out), and the escrow charges what the ride's end
/// makes due (the fare, a fee, or nothing). Every command is idempotent.</summary>
public sealed class RideFinishing(
    Lifecycle<DriverDuty, DriverDutyCommand> duties, Lifecycle<Booking, BookingCommand> bookings, Lifecycle<Escrow, EscrowCommand> escrows)
    : IEffectHandler<FinishRide>
{
    public async Task<object?> HandleAsync(FinishRide effect, EffectContext context, CancellationToken ct)
    {
        var rideId = context.InstanceId;
        var released = await duties.ExecuteAsync(effect.DriverId, new ReleaseDriver(rideId), ct);
        var followed = await bookings.ExecuteAsync(effect.BookingId, new RideEnded(rideId, effect.Outcome, effect.By, effect.Reason, effect.Fee), ct);
        var charged = await escrows.ExecuteAsync(rideId, new RideOver(effect.Outcome, effect.Fee), ct);
        return released.Status == CommandStatus.Contended || followed.Status == CommandStatus.Contended || charged.Status == CommandStatus.Contended
            ? throw new InvalidOperationException($"Finishing ride {rideId} lost every race; retrying.")
            : null;
    }
}
