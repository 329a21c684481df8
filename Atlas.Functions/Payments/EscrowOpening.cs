using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Functions.Companies;
using Atlas.Functions.Lifecycles;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Payments;

/// <summary>Carries out <see cref="HoldPayment"/>: reads the rider's card and the fee of the driver's company as they
/// are now and opens the ride's escrow by <see cref="EscrowOpeningRules"/>; the escrow authorises. Opening twice opens
/// once.</summary>
public sealed class EscrowOpening(
    Lifecycle<Escrow, EscrowCommand> escrows, PaymentProfiles profiles, CompanyStore companies, IOptions<PaymentOptions> options)
    : IEffectHandler<HoldPayment>
{
    public async Task<object?> HandleAsync(HoldPayment effect, EffectContext context, CancellationToken ct)
    {
        var profile = await profiles.FindAsync(effect.RiderId, ct);
        var company = await companies.FindAsync(effect.CompanyId, ct);
        var open = EscrowOpeningRules.Open(
            effect, context.InstanceId, new OpeningFacts(company?.Fee, options.Value.DefaultFee, profile?.CustomerId, profile?.PaymentMethodId));
        // Usually there is nothing to read yet; when the ride's end got there first, the insert finds it and reads it.
        await escrows.ExecuteOrRetryAsync(effect.RideId, open, ct, isNew: true);
        return null;
    }
}
