using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Rides;
using Atlas.Functions.Common;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Bookings;

/// <summary>
/// Carries out <see cref="AwardRide"/> by <see cref="AwardRules"/>: gathers what the winner's company says of them,
/// passes them over or has their own instance reserve them, creates the ride and lists it, and answers the booking
/// with DriverReserved or DriverUnavailable. Every step is idempotent, so a redelivery repeats safely.
/// </summary>
public sealed class RideAwards(
    Lifecycle<DriverDuty, DriverDutyCommand> duties, Lifecycle<Ride, RideCommand> rides, CompanyStore companies, BookingIndex index, RandomSource random)
    : IEffectHandler<AwardRide>
{
    public async Task<object?> HandleAsync(AwardRide effect, EffectContext context, CancellationToken ct)
    {
        var winner = effect.Winner;
        var available = await companies.FindDriverAsync(winner.CompanyId, winner.DriverId, ct) is { Available: true };
        // What the driver's instance holds matters only to an unavailable driver: an available one is not read twice.
        var holds = available ? null : (await duties.GetAsync(winner.DriverId, ct)).State.ActiveRideId;
        if (AwardRules.PassOver(effect, new WinnerFacts(available, holds)) is { } passedOver)
        {
            return passedOver;
        }

        var reserved = await duties.ExecuteOrRetryAsync(winner.DriverId, new ReserveDriver(effect.RideId), ct);
        if (AwardRules.AfterReservation(effect, reserved.Rejection) is { } refused)
        {
            return refused;
        }

        var bookingId = context.InstanceId;
        var create = AwardRules.NewRide(effect, bookingId, random.NewDigits(RideRules.StartCodeLength));
        // The id is the round's: nothing to read the first time; a redelivery's insert finds the ride and reads it.
        await rides.ExecuteOrRetryAsync(effect.RideId, create, ct, isNew: true);

        await index.AddAsync([BookingIndex.ForUser(winner.DriverUserId), BookingIndex.ForCompany(winner.CompanyId)], bookingId, effect.BookedAt, ct);
        return AwardRules.Reserved(effect);
    }
}
