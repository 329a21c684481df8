using Atlas.Core.Bookings;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Bookings;

/// <summary>Carries out <see cref="RecallRide"/>: the ride of a booking cancelled mid-award is cancelled by the
/// system, which frees its driver like any other ending.</summary>
public sealed class RideRecalls(Lifecycle<Ride, RideCommand> rides) : IEffectHandler<RecallRide>
{
    public async Task<object?> HandleAsync(RecallRide effect, EffectContext context, CancellationToken ct)
    {
        var cancelled = await rides.ExecuteAsync(effect.RideId, new CancelRide(Party.System, effect.Reason), ct);
        return cancelled.Status == CommandStatus.Contended
            ? throw new InvalidOperationException($"Recalling ride {effect.RideId} lost every race; retrying.")
            : null;
    }
}
