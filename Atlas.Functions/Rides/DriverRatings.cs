using Atlas.Core.Drivers;
using Atlas.Core.Rides;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Rides;

/// <summary>Carries out <see cref="RateDriver"/>: the driver's instance counts each ride's rating once, and the mean
/// it keeps is copied to the driver's profile, where bids read it for tie-breaks.</summary>
public sealed class DriverRatings(Lifecycle<DriverDuty, DriverDutyCommand> duties, CompanyStore companies) : IEffectHandler<RateDriver>
{
    public async Task<object?> HandleAsync(RateDriver effect, EffectContext context, CancellationToken ct)
    {
        var recorded = await duties.ExecuteOrRetryAsync(effect.DriverId, new RecordRating(context.InstanceId, effect.Stars), ct);

        // The mean, not an increment: writing it again after a redelivery changes nothing.
        if (recorded.State.Rating is { } rating)
        {
            await companies.UpdateDriverAsync(effect.CompanyId, effect.DriverId, new Dictionary<string, object?> { ["Rating"] = rating }, ct);
        }

        return null;
    }
}
