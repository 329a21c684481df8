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
        return released.Status == CommandStatus.Contended || followed.Status == CommandStatus.Contended || charged.Status == CommandStatus.Contended
            ? throw new InvalidOperationException($"Finishing ride {rideId} lost every race; retrying.")
            : null;
    }
}
