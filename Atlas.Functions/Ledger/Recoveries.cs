using Atlas.Core.Ledger;
using Atlas.Functions.Stripe;

namespace Atlas.Functions.Ledger;

/// <summary>
/// When a refund or a dispute takes back more of a driver's earnings than they have unpaid, the difference has
/// already been paid out: it is taken back by reversing the driver's latest transfers, as far as they go. What no
/// transfer covers stays a negative payable, netted against the driver's next earnings by settlement.
/// </summary>
public sealed class Recoveries(LedgerStore ledger, IStripeApi stripe, TimeProvider clock, ILogger<Recoveries> logger)
{
    /// <param name="key">What caused it (an effect id): the reversal keys and ledger ids derive from it, so a retry
    /// repeats the same reversals.</param>
    public async Task RecoverAsync(string driverId, string currency, string key, CancellationToken ct)
    {
        var transactions = await ledger.ReadDriverAsync(driverId, ct);
        var owed = -Balances.Of(transactions).Payable(driverId, currency);
        if (owed <= 0)
        {
            return;
        }

        var reversed = transactions.Where(t => t.Kind == "reversal").ToLookup(t => t.Reference!, t => t.AmountOn(LedgerAccounts.StripeClearing));
        var payouts = transactions
            .Where(t => t.Kind == "payout" && t.Currency == currency)
            .Select(t => (TransferId: t.Reference!, Left: -t.AmountOn(LedgerAccounts.StripeClearing) - reversed[t.Reference!].Sum()))
            .Where(p => p.Left > 0)
            .Reverse();
        foreach (var (transferId, left) in payouts)
        {
            var amount = Math.Min(owed, left);
            var result = await stripe.ReverseTransferAsync(transferId, amount, $"{key}-{transferId}", ct);
            if (!result.Succeeded)
            {
                logger.LogWarning("Reversing {Amount} of transfer {TransferId} for driver {DriverId} was refused: {Error}", amount, transferId, driverId, result.Error);
                return;
            }

            await ledger.AppendAsync(Entries.TransferReversal($"reversal:{key}:{transferId}", currency, driverId, clock.GetUtcNow(), amount, transferId), null, ct);
            owed -= amount;
            if (owed == 0)
            {
                return;
            }
        }
    }
}
