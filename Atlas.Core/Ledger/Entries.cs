using static Atlas.Core.Ledger.LedgerAccounts;

namespace Atlas.Core.Ledger;

/// <summary>
/// How each money event is booked. One place, so the escrow, settlement and the invariant tests all book the same
/// way. Transaction ids say what caused them: recording the same cause twice is recording it once.
/// </summary>
public static class Entries
{
    /// <summary>A card authorisation: memo only, the money is still the rider's.</summary>
    public static LedgerTransaction Hold(string id, string currency, string driverId, string rideId, DateTimeOffset at, long amount) =>
        LedgerTransaction.Create(id, "hold", currency, driverId, rideId, at, new(CardAuthorisations, amount), new(RiderFundsHeld, -amount));

    /// <summary>An authorisation released uncaptured (cancelled, expired, or replaced).</summary>
    public static LedgerTransaction Release(string id, string currency, string driverId, string rideId, DateTimeOffset at, long amount) =>
        LedgerTransaction.Create(id, "release", currency, driverId, rideId, at, new(RiderFundsHeld, amount), new(CardAuthorisations, -amount));

    /// <summary>A capture: the hold is released and the captured amount is split between the driver and the platform.</summary>
    public static LedgerTransaction Capture(
        string id, string currency, string driverId, string rideId, DateTimeOffset at, long held, long captured, long driverShare) =>
        LedgerTransaction.Create(
            id,
            "capture",
            currency,
            driverId,
            rideId,
            at,
            new(RiderFundsHeld, held),
            new(CardAuthorisations, -held),
            new(StripeClearing, captured),
            new(DriverPayable(driverId), -driverShare),
            new(PlatformRevenue, -(captured - driverShare)));

    /// <summary>A tip is the driver's, whole.</summary>
    public static LedgerTransaction Tip(string id, string currency, string driverId, string rideId, DateTimeOffset at, long amount) =>
        LedgerTransaction.Create(id, "tip", currency, driverId, rideId, at, new(StripeClearing, amount), new(DriverPayable(driverId), -amount));

    /// <summary>A refund to the rider: the driver gives back their share of it, the platform the rest.</summary>
    public static LedgerTransaction Refund(string id, string currency, string driverId, string rideId, DateTimeOffset at, long amount, long driverPart) =>
        LedgerTransaction.Create(
            id,
            "refund",
            currency,
            driverId,
            rideId,
            at,
            new(StripeClearing, -amount),
            new(DriverPayable(driverId), driverPart),
            new(Refunds, amount - driverPart));

    /// <summary>Stripe withdrew the disputed amount; the driver's share of the ride is frozen until the dispute closes.</summary>
    public static LedgerTransaction DisputeOpened(
        string id, string currency, string driverId, string rideId, DateTimeOffset at, long disputed, long frozen) =>
        LedgerTransaction.Create(
            id,
            "dispute-opened",
            currency,
            driverId,
            rideId,
            at,
            new(StripeClearing, -disputed),
            new(DisputesPending, disputed),
            new(DriverPayable(driverId), frozen),
            new(DriverHeld(driverId), -frozen));

    /// <summary>Won: Stripe returns the money and the driver's share is released. Lost: the platform books the loss,
    /// and either releases the driver's share (absorbs it) or keeps it (recovers it from the driver).</summary>
    public static LedgerTransaction DisputeClosed(
        string id, string currency, string driverId, string rideId, DateTimeOffset at, long disputed, long frozen, bool won, bool recover) =>
        won
            ? LedgerTransaction.Create(
                id,
                "dispute-won",
                currency,
                driverId,
                rideId,
                at,
                new(StripeClearing, disputed),
                new(DisputesPending, -disputed),
                new(DriverHeld(driverId), frozen),
                new(DriverPayable(driverId), -frozen))
            : LedgerTransaction.Create(
                id,
                "dispute-lost",
                currency,
                driverId,
                rideId,
                at,
                new(DisputeLosses, disputed),
                new(DisputesPending, -disputed),
                new(DriverHeld(driverId), frozen),
                recover ? new(DisputeLosses, -frozen) : new(DriverPayable(driverId), -frozen));

    /// <summary>A settlement transfer to the driver's connected account.</summary>
    public static LedgerTransaction Payout(string id, string currency, string driverId, DateTimeOffset at, long amount, string transferId)
    {
        var payout = LedgerTransaction.Create(id, "payout", currency, driverId, null, at, new(DriverPayable(driverId), amount), new(StripeClearing, -amount));
        return payout with { Reference = transferId };
    }

    /// <summary>Part of a transfer taken back from the driver's connected account.</summary>
    public static LedgerTransaction TransferReversal(string id, string currency, string driverId, DateTimeOffset at, long amount, string transferId)
    {
        var reversal = LedgerTransaction.Create(id, "reversal", currency, driverId, null, at, new(StripeClearing, amount), new(DriverPayable(driverId), -amount));
        return reversal with { Reference = transferId };
    }
}
