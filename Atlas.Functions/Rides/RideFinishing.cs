using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Rides;

/// <summary>Carries out <see cref="FinishRide"/>: sends the driver's, the booking's and the escrow's commands that
/// <see cref="FinishingRules"/> makes of the ride's end. Every command is idempotent.</summary>
public sealed class RideFinishing(
    Lifecycle<DriverDuty, DriverDutyCommand> duties, Lifecycle<Booking, BookingCommand> bookings, Lifecycle<Escrow, EscrowCommand> escrows)
    : IEffectHandler<FinishRide>
{
    public async Task<object?> HandleAsync(FinishRide effect, EffectContext context, CancellationToken ct)
    {
        var rideId = context.InstanceId;
        var finish = FinishingRules.Finish(rideId, effect);
        var released = await duties.ExecuteAsync(effect.DriverId, finish.Driver, ct);
        var followed = await bookings.ExecuteAsync(effect.BookingId, finish.Booking, ct);
        var charged = await escrows.ExecuteAsync(rideId, finish.Escrow, ct);

        // All three are tried before a lost race sends the message back: one held up does not hold up the others.
        ContendedException.ThrowIf(released.Status, $"Releasing driver {effect.DriverId} from ride {rideId}");
        ContendedException.ThrowIf(followed.Status, $"Telling booking {effect.BookingId} that ride {rideId} ended");
        ContendedException.ThrowIf(charged.Status, $"Charging the end of ride {rideId}");
        return null;
    }
}
