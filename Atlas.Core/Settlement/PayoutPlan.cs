using Atlas.Core.Ledger;

namespace Atlas.Core.Settlement;

public enum PayoutStatus
{
    /// <summary>A transfer is being made (or was, and its answer was lost: a rerun finishes it with the same key).</summary>
    Pending,
    Paid,

    /// <summary>Stripe refused the transfer; the payable stays for the next period.</summary>
    Failed,

    /// <summary>Owed, but the driver has no connected account to pay into yet.</summary>
    NoAccount,

    /// <summary>Nothing payable, only earnings frozen by disputes.</summary>
    Held,
}

/// <summary>What settlement does for one driver in one currency: pay the payable (frozen amounts are on another
/// account, so they are never in it), or say why not.</summary>
public sealed record PayoutPlan(string DriverId, string Currency, long Amount, long Held, PayoutStatus Status)
{
    /// <summary>Null when there is nothing to pay or report.</summary>
    public static PayoutPlan? For(string driverId, string currency, Balances balances, bool hasAccount)
    {
        var payable = balances.Payable(driverId, currency);
        var held = balances.Held(driverId, currency);
        return (payable > 0, held > 0) switch
        {
            (true, _) => new PayoutPlan(driverId, currency, payable, held, hasAccount ? PayoutStatus.Pending : PayoutStatus.NoAccount),
            (false, true) => new PayoutPlan(driverId, currency, 0, held, PayoutStatus.Held),
            _ => null,
        };
    }
}
