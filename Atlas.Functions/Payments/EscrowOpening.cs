using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Payments;

/// <summary>Carries out <see cref="HoldPayment"/>: opens the ride's escrow with the rider's card and the fee of the
/// driver's company as they are now; the escrow authorises. Opening twice opens once.</summary>
public sealed class EscrowOpening(
    Lifecycle<Escrow, EscrowCommand> escrows, PaymentProfiles profiles, CompanyStore companies, IOptions<PaymentOptions> options)
    : IEffectHandler<HoldPayment>
{
    public async Task<object?> HandleAsync(HoldPayment effect, EffectContext context, CancellationToken ct)
    {
        var profile = await profiles.FindAsync(effect.RiderId, ct);
        var fee = (await companies.FindAsync(effect.CompanyId, ct))?.Fee ?? options.Value.DefaultFee;
        var terms = new EscrowTerms(
            effect.RideId,
            context.InstanceId,
            effect.RiderId,
            effect.DriverId,
            effect.DriverUserId,
            effect.CompanyId,
            effect.Price,
            effect.Currency,
            fee,
            profile?.CustomerId,
            profile?.PaymentMethodId);
        // Usually there is nothing to read yet; when the ride's end got there first, the insert finds it and reads it.
        var opened = await escrows.ExecuteAsync(effect.RideId, new OpenEscrow(terms), ct, isNew: true);
        return opened.Status == CommandStatus.Contended
            ? throw new InvalidOperationException($"Opening the escrow of ride {effect.RideId} lost every race; retrying.")
            : null;
    }
}
