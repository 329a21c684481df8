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
        await rides.ExecuteOrRetryAsync(effect.RideId, new CancelRide(Party.System, effect.Reason), ct);
        return null;
    }
}
