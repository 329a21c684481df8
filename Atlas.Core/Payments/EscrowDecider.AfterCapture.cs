using Atlas.Core.Common;
using Atlas.Core.Integration;
using Atlas.Core.Ledger;

namespace Atlas.Core.Payments;

// After the capture: refunds, each returning the driver's share of it; disputes, freezing the driver's share until
// they close.
public sealed partial class EscrowDecider
{
    private Decision<Escrow> Refund(Escrow state, RequestRefund r)
    {
        if (state.Refunds.FirstOrDefault(l => l.Id == r.RefundId) is { } earlier)
        {
            return earlier.Amount == r.Amount ? Decision<Escrow>.Ignore() : new Decision<Escrow>.Rejected(RefundIdReused);
        }

        if (r.Amount <= 0 || r.Amount > state.Captured - state.Refunded)
        {
            return new Decision<Escrow>.Rejected(RefundTooLarge);
        }

        return Decision<Escrow>.Accept(
            state with { Refunds = [.. state.Refunds, new RefundLine(r.RefundId, r.Amount, Done: false)] },
            null,
            new RefundPayment(r.RefundId, state.Hold!.IntentId, r.Amount));
    }

    /// <summary>The driver gives back their share of each refund, counted on the running total so the parts of all
    /// refunds add up to exactly the share when everything is refunded.</summary>
    private Decision<Escrow> Refunded(Escrow state, string refundId, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var line = state.Refunds.Single(l => l.Id == refundId);
        var before = PlatformFee.Proportion(state.RefundedDone, state.DriverShare, state.Captured);
        var after = PlatformFee.Proportion(state.RefundedDone + line.Amount, state.DriverShare, state.Captured);
        return Accept(
            state with { Refunds = [.. state.Refunds.Select(l => l.Id == refundId ? l with { Done = true } : l)] },
            Record(state, Entries.Refund(TxId(state, $"refund-{refundId}"), terms.Currency, terms.DriverId, terms.RideId, now, line.Amount, after - before)),
            Tell(state, terms.RiderId, "payment.refunded", line.Amount),
            Publish(state, BusinessEvents.PaymentRefunded, now, line.Amount));
    }

    /// <summary>The driver's share of the ride, less what refunds took back, is frozen until the dispute closes.</summary>
    private Decision<Escrow> OpenDispute(Escrow state, DisputeOpened d, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var frozen = state.DriverShare - PlatformFee.Proportion(state.RefundedDone, state.DriverShare, state.Captured);
        return Accept(
            state with { Dispute = new DisputeLine(d.DisputeId, d.Amount, frozen, "open") },
            Record(state, Entries.DisputeOpened(TxId(state, "dispute-opened"), terms.Currency, terms.DriverId, terms.RideId, now, d.Amount, frozen)),
            Tell(state, terms.DriverUserId, "payout.held"),
            Publish(state, BusinessEvents.DisputeOpened, now, d.Amount));
    }

    private Decision<Escrow> CloseDispute(Escrow state, DisputeLine open, bool won, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var recover = !won && rules.DisputeLosses == DisputeLossPolicy.Recover;
        return Accept(
            state with { Dispute = open with { Status = won ? "won" : "lost" } },
            Record(state, Entries.DisputeClosed(TxId(state, "dispute-closed"), terms.Currency, terms.DriverId, terms.RideId, now, open.Amount, open.Frozen, won, recover)),
            Tell(state, terms.DriverUserId, won || !recover ? "payout.released" : "payout.forfeited"),
            Publish(state, BusinessEvents.DisputeClosed, now, open.Amount, won ? "won" : "lost"));
    }
}
