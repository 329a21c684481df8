using System.Diagnostics.Metrics;
using System.Text.Json;
using Atlas.Core.Settlement;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Settlement;

/// <summary>Settlement's payout lines by status, the money paid out, and the lines a run's reconciliation found at odds.</summary>
public sealed class SettlementMetrics
{
    private readonly Counter<long> _payoutLines;
    private readonly Counter<long> _paidOut;
    private readonly Counter<long> _mismatches;

    public SettlementMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AtlasTelemetry.Name);
        _payoutLines = meter.CreateCounter<long>("atlas.settlement.lines", "{line}", "Settlement payout lines by status: paid, failed, noAccount.");
        _paidOut = meter.CreateCounter<long>("atlas.settlement.paid", "{minor unit}", "Money paid out to drivers, in minor units, by currency.");
        _mismatches = meter.CreateCounter<long>(
            "atlas.settlement.mismatches", "{line}", "Settlement lines a run's reconciliation found at odds with the ledger or Stripe, by currency.");
    }

    public void PayoutLine(PayoutStatus status, long amount, string currency)
    {
        _payoutLines.Add(1, new KeyValuePair<string, object?>("status", JsonNamingPolicy.CamelCase.ConvertName(status.ToString())));
        if (status == PayoutStatus.Paid)
        {
            _paidOut.Add(amount, new KeyValuePair<string, object?>("currency", currency));
        }
    }

    /// <summary>Lines a settlement run's reconciliation found at odds (one per line and problem).</summary>
    public void SettlementMismatch(string currency) =>
        _mismatches.Add(1, new KeyValuePair<string, object?>("currency", currency));
}
