using Atlas.Core.Bookings;
using Atlas.Core.Drivers;
using Atlas.Core.Rides;
using Atlas.Functions.Common;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Bookings;

/// <summary>
/// Carries out <see cref="AwardRide"/>: a winner who has gone unavailable since bidding (or left the company) is
/// passed over; otherwise the winner's own instance decides whether they are free (so two bookings closing at once
/// cannot both get one driver); if so the ride is created and the booking hears DriverReserved, else
/// DriverUnavailable and it offers the next bid. Every step is idempotent, so a redelivery repeats safely.
/// </summary>
public sealed class RideAwards(
    Lifecycle<DriverDuty, DriverDutyCommand> duties, Lifecycle<Ride, RideCommand> rides, CompanyStore companies, BookingIndex index, RandomSource random)
    : IEffectHandler<AwardRide>
{
    public async Task<object?> HandleAsync(AwardRide effect, EffectContext context, CancellationToken ct)
    {
        var winner = effect.Winner;
        if (await companies.FindDriverAsync(winner.CompanyId, winner.DriverId, ct) is not { Available: true })
        {
            // Unless this is a redelivery of an award already made (the driver holds this very ride): that goes on,
            // whatever the driver's availability now, so a retry never undoes a ride.
            var (duty, _) = await duties.GetAsync(winner.DriverId, ct);
            if (duty.ActiveRideId != effect.RideId)
            {
                return new DriverUnavailable(effect.RideId, winner.DriverId);
            }
        }

        var reserved = await duties.ExecuteAsync(winner.DriverId, new ReserveDriver(effect.RideId), ct);
        switch (reserved.Status)
        {
            case CommandStatus.Rejected:
                return new DriverUnavailable(effect.RideId, winner.DriverId);
            case CommandStatus.Contended:
                throw new InvalidOperationException($"Reserving driver {winner.DriverId} lost every race; retrying.");
        }

        var bookingId = context.InstanceId;
        var terms = new RideTerms(
            effect.RideId,
            bookingId, effect.RiderId, winner.DriverId, winner.DriverUserId, winner.CompanyId, effect.Trip, winner.Amount, effect.Currency,
            random.NewDigits(RideRules.StartCodeLength));
        // The id is the round's: nothing to read the first time; a redelivery's insert finds the ride and reads it.
        var created = await rides.ExecuteAsync(effect.RideId, new CreateRide(terms), ct, isNew: true);
        if (created.Status == CommandStatus.Contended)
        {
            throw new InvalidOperationException($"Creating ride {effect.RideId} lost every race; retrying.");
        }

        await index.AddAsync([BookingIndex.ForUser(winner.DriverUserId), BookingIndex.ForCompany(winner.CompanyId)], bookingId, effect.BookedAt, ct);
        return new DriverReserved(effect.RideId, winner.DriverId);
    }
}
