using Atlas.Core.Ledger;
using Atlas.Core.Settlement;
using Atlas.Functions.Ledger;
using Atlas.Functions.Stripe;

namespace Atlas.Functions.Settlement;

/// <summary>One disagreement between a settlement line, the ledger and Stripe.</summary>
public sealed record Mismatch(string DriverId, string Currency, string Problem);

public sealed record ReconciliationReport(int Checked, IReadOnlyList<Mismatch> Mismatches);

/// <summary>Checks a period's payouts three ways: each paid line has its ledger payout (same amount, same transfer)
/// and a Stripe transfer of that amount; each ledger payout of the period has a paid line. Stripe is read through the
/// port the caller names: the settlement's activity tries once (its Durable retry is the retry), an operator's request
/// retries at the client.</summary>
public sealed class Reconciliation(LedgerStore ledger)
{
    // Lines are independent: a ledger read and a Stripe read each, this many at once.
    private const int Concurrency = 16;

    public async Task<ReconciliationReport> CheckAsync(IStripeApi stripe, SettlementPeriod period, IReadOnlyList<SettlementLine> lines, CancellationToken ct)
    {
        var candidates = lines.Where(l => l.Status is PayoutStatus.Paid or PayoutStatus.Pending).ToList();
        var found = new List<Mismatch>[candidates.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, candidates.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct },
            async (i, token) => found[i] = await CheckAsync(stripe, period, candidates[i], token));

        // In the lines' order, whatever order the checks finished in.
        return new ReconciliationReport(candidates.Count, [.. found.SelectMany(m => m)]);
    }

    private async Task<List<Mismatch>> CheckAsync(IStripeApi stripe, SettlementPeriod period, SettlementLine line, CancellationToken ct)
    {
        var payout = (await ledger.ReadDriverAsync(line.DriverId, ct)).FirstOrDefault(t => t.Id == $"payout:{period.Id}:{line.Currency}");
        var booked = payout is null ? 0 : -payout.AmountOn(LedgerAccounts.StripeClearing);
        switch (line.Status, payout)
        {
            case (PayoutStatus.Pending, null):
                return [new(line.DriverId, line.Currency, "pending: no transfer recorded yet (run the settlement again)")];
            case (PayoutStatus.Pending, _):
                return [new(line.DriverId, line.Currency, $"the ledger has payout {payout.Reference} but the line is still pending")];
            case (_, null):
                return [new(line.DriverId, line.Currency, $"paid by {line.TransferId} but the ledger has no payout")];
        }

        var mismatches = new List<Mismatch>();
        if (booked != line.Amount || payout.Reference != line.TransferId)
        {
            mismatches.Add(new(line.DriverId, line.Currency, $"the ledger booked {booked} by {payout.Reference}; the line says {line.Amount} by {line.TransferId}"));
        }

        var transfer = (await stripe.GetTransferAsync(line.TransferId!, ct)).Value;
        if (transfer is null || transfer.Amount != line.Amount || !transfer.Currency.Equals(line.Currency, StringComparison.OrdinalIgnoreCase))
        {
            mismatches.Add(new(line.DriverId, line.Currency, $"Stripe's transfer {line.TransferId} is {transfer?.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, the line {line.Amount}"));
        }

        return mismatches;
    }
}
