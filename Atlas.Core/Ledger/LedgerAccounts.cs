namespace Atlas.Core.Ledger;

/// <summary>
/// The chart of accounts. Assets (what Stripe holds for the platform) are debit-normal; what the platform owes
/// (drivers' payables) and earns are credit-normal, so their balances read negative: a driver is owed
/// <c>-Balance(DriverPayable)</c>.
/// </summary>
public static class LedgerAccounts
{
    /// <summary>Money on the platform's Stripe balance: captures and tips in, refunds, payouts and disputes out.</summary>
    public const string StripeClearing = "stripe-clearing";

    /// <summary>Platform fees earned on rides.</summary>
    public const string PlatformRevenue = "platform-revenue";

    /// <summary>What the platform gave back to riders (its part of refunds).</summary>
    public const string Refunds = "refunds";

    /// <summary>Amounts Stripe withdrew for open disputes.</summary>
    public const string DisputesPending = "disputes-pending";

    /// <summary>Disputes lost, less what was recovered from drivers.</summary>
    public const string DisputeLosses = "dispute-losses";

    /// <summary>Memo pair for authorisations: a rider's money held on their card (not yet the platform's).</summary>
    public const string RiderFundsHeld = "rider-funds-held";

    public const string CardAuthorisations = "card-authorisations";

    private const string PayablePrefix = "driver-payable:";
    private const string HeldPrefix = "driver-held:";

    /// <summary>What the platform owes the driver and will pay at the next settlement.</summary>
    public static string DriverPayable(string driverId) => PayablePrefix + driverId;

    /// <summary>A driver's earnings frozen by a dispute: not paid until it is closed.</summary>
    public static string DriverHeld(string driverId) => HeldPrefix + driverId;

    public static bool IsDriverPayable(string account) => account.StartsWith(PayablePrefix, StringComparison.Ordinal);
}
