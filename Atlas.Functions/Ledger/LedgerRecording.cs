using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Ledger;

/// <summary>Carries out <see cref="RecordLedger"/>. A refund or a dispute may leave the driver owing what was already
/// paid out: then the transfer is reversed.</summary>
public sealed class LedgerRecording(LedgerStore ledger, Recoveries recoveries) : IEffectHandler<RecordLedger>
{
    public async Task<object?> HandleAsync(RecordLedger effect, EffectContext context, CancellationToken ct)
    {
        var transaction = effect.Transaction;
        await ledger.AppendAsync(transaction, effect.CompanyId, ct);
        if (transaction is { DriverId: { } driverId, Kind: "refund" or "dispute-opened" })
        {
            await recoveries.RecoverAsync(driverId, transaction.Currency, context.EffectId, ct);
        }

        return null;
    }
}
