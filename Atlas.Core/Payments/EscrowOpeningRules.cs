using Atlas.Core.Bookings;
using Atlas.Core.Ledger;

namespace Atlas.Core.Payments;

/// <summary>What the escrow opens with besides the award, each read from what owns it when the hold is carried out.</summary>
/// <param name="CompanyFee">The fee of the driver's company now; null when the company is not found.</param>
/// <param name="DefaultFee">The platform's fee from the settings, for a company without one.</param>
/// <param name="CustomerId">The rider's Stripe customer; null when they have none.</param>
/// <param name="PaymentMethodId">The rider's saved card; null when they have none (the escrow then declines).</param>
public sealed record OpeningFacts(PlatformFee? CompanyFee, PlatformFee DefaultFee, string? CustomerId, string? PaymentMethodId);

public static class EscrowOpeningRules
{
    /// <summary>The ride's escrow opens for the winning price with the rider's card and the fee of the driver's company as
    /// they are now (the fee is fixed from then on): a later change of either does not touch a ride under way.</summary>
    public static OpenEscrow Open(HoldPayment hold, string bookingId, OpeningFacts facts) => new(new EscrowTerms(
        hold.RideId,
        bookingId,
        hold.RiderId,
        hold.DriverId,
        hold.DriverUserId,
        hold.CompanyId,
        hold.Price,
        hold.Currency,
        facts.CompanyFee ?? facts.DefaultFee,
        facts.CustomerId,
        facts.PaymentMethodId));
}
