using Atlas.Core.Bookings;
using Atlas.Core.Notifications;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Bookings;

/// <summary>Carries out <see cref="InviteDrivers"/>: the nearest available drivers with a fitting vehicle and a
/// recent position hear that the booking takes bids. Each push is keyed by the effect and the driver.</summary>
public sealed class DriverInvitations(DriverLocator locator, NoticeSending notices, IOptions<BookingOptions> options, TimeProvider clock)
    : IEffectHandler<InviteDrivers>
{
    public async Task<object?> HandleAsync(InviteDrivers effect, EffectContext context, CancellationToken ct)
    {
        var settings = options.Value;
        var freshSince = clock.GetUtcNow() - settings.LocationFreshFor;
        var near = await locator.NearAsync(effect.Trip.Pickup, effect.Trip.VehicleType, settings.InviteRadiusKm, ct);
        var invited = near
            .Where(s => s.At >= freshSince && s.Carries(effect.Trip.Seats, effect.Trip.Kg) && !effect.Excluded.Contains(s.DriverId))
            .Take(settings.MaxInvites);
        foreach (var spot in invited)
        {
            await notices.SendAsync(new Notice(spot.UserId, "booking.open", context.InstanceId, effect.QuoteTotal), $"{context.EffectId}#{spot.DriverId}", ct);
        }

        return null;
    }
}
