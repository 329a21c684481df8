using Atlas.Core.Common;
using Atlas.Core.Integration;
using Atlas.Core.Ledger;
using Atlas.Core.Notifications;
using Atlas.Core.Rides;
using static Atlas.Core.Payments.EscrowStatus;

namespace Atlas.Core.Payments;

public sealed partial class EscrowDecider(EscrowRules rules) : Decider<Escrow, EscrowCommand>
{
    public const string Name = "escrow";

    public EscrowDecider()
        : this(EscrowRules.Default)
    {
    }

    public static Rejection NotFound { get; } = new("payment-not-found", "There is no payment for this ride.");

    public static Rejection StaleEvent { get; } = new("stale-event", "The event is older than what the payment already knows.");

    public static Rejection NothingCaptured { get; } = new("nothing-captured", "Nothing was charged for this ride.");

    public static Rejection RefundTooLarge { get; } = new("refund-exceeds-captured", "A refund cannot exceed what was charged and not yet refunded.");

    public static Rejection RefundIdReused { get; } = new("refund-key-reused", "This refund was already asked for with another amount.");

    public static Rejection NotTippable { get; } = new("tip-not-allowed", "Only a completed, paid ride can be tipped.");

    public static Rejection AlreadyTipped { get; } = new("already-tipped", "This ride has been tipped.");

    public EscrowRules Rules => rules;

    public override string Type => Name;

    public override Escrow Initial => Escrow.None;

    public override EscrowCommand Timeout(DateTimeOffset deadline) => new EscrowTimedOut(deadline);

    public override Decision<Escrow> Decide(Escrow state, EscrowCommand command, DateTimeOffset now) => (state.Status, command) switch
    {
        (None, OpenEscrow open) => Open(state, open.Terms, now),

        // The ride ended before its escrow opened (the queue was slow): remembered, so the escrow opens knowing.
        (None, RideOver over) when state.Outcome is null => Decision<Escrow>.Accept(state with { Outcome = over.Outcome, Due = over.Fee }, null),
        (None, _) => new Decision<Escrow>.Rejected(NotFound),
        (_, OpenEscrow) => Decision<Escrow>.Ignore(),

        (_, IntentObserved seen) when seen.ObservedAt < state.ObservedAt => new Decision<Escrow>.Rejected(StaleEvent),
        (_, IntentObserved seen) => Observe(state, seen, now),

        // An authorisation made for an attempt the escrow no longer wants (the ride ended meanwhile, or a retry
        // raced it) is cancelled, so no hold is left on the rider's card.
        (_, PaymentAuthorised a) when a.Attempt != state.Attempt || !IsWaitingFor(state, a.Attempt) => Orphan(state, a.IntentId),
        (_, PaymentAuthorised a) => Authorise(state, a, now),
        (Authorising, PaymentNeedsAction n) when n.Attempt == state.Attempt => NeedAction(state, n, now),
        (Authorising or ActionRequired, PaymentDeclined d) when d.Attempt == state.Attempt => Decline(state, d.Code, d.IntentId, now),
        (Authorised, PaymentDeclined d) when state.Reauthorising && d.Attempt == state.Attempt => Accept(
            state with { Reauthorising = false },
            Tell(state, state.Terms!.RiderId, "payment.declined")),
        (_, PaymentNeedsAction or PaymentDeclined) => Decision<Escrow>.Ignore(),

        (ActionRequired, EscrowTimedOut t) when t.Deadline == state.ActionDeadline && now >= t.Deadline =>
            Decline(state, "authentication-timeout", state.Hold!.IntentId, now, new CancelPayment(state.Hold.IntentId)),
        (Authorised, EscrowTimedOut t) when !state.Reauthorising && t.Deadline == ReauthoriseAt(state) && now >= t.Deadline => Reauthorise(state),
        (_, EscrowTimedOut) => Decision<Escrow>.Ignore(),
        (Authorised, HoldLapsed l) when l.IntentId == state.Hold!.IntentId => Reauthorise(
            state with { Status = Authorising, Hold = null },
            Record(state, Entries.Release(TxId(state, $"release-{state.Hold.Attempt}"), state.Terms!.Currency, state.Terms.DriverId, state.Terms.RideId, now, state.Hold.Amount))),
        (_, HoldLapsed) => Decision<Escrow>.Ignore(),

        (_, RideOver) when state.Due is not null => Decision<Escrow>.Ignore(),
        (_, RideOver over) => Finish(state with { Due = Charge(state.Terms!, over), Outcome = over.Outcome }),

        (Capturing, PaymentCaptured c) when c.IntentId == state.Hold!.IntentId => Capture(state, c.Amount, now),
        (Capturing, CaptureFailed f) when f.IntentId == state.Hold!.IntentId => Lapse(state, f.Code, now),
        (Releasing, PaymentReleased r) when r.IntentId == state.Hold!.IntentId => Accept(
            state with { Status = Released },
            [.. ReleaseHold(state, now)]),
        (_, PaymentCaptured or CaptureFailed or PaymentReleased) => Decision<Escrow>.Ignore(),

        (Captured, RequestRefund r) => Refund(state, r),
        (_, RequestRefund) => new Decision<Escrow>.Rejected(NothingCaptured),
        (Captured, RefundSucceeded r) when state.Refunds.Any(l => l.Id == r.RefundId && !l.Done) => Refunded(state, r.RefundId, now),
        (Captured, RefundFailed r) when state.Refunds.Any(l => l.Id == r.RefundId && !l.Done) => Accept(
            state with { Refunds = [.. state.Refunds.Where(l => l.Id != r.RefundId)] }),
        (_, RefundSucceeded or RefundFailed) => Decision<Escrow>.Ignore(),

        (_, AddTip t) when state.Tip?.Id == t.TipId => Decision<Escrow>.Ignore(),
        (Captured, AddTip) when state.Tip is not null => new Decision<Escrow>.Rejected(AlreadyTipped),
        (Captured, AddTip t) when state.Outcome == RideStatus.Completed && t.Amount is > 0 && t.Amount <= rules.MaxTip => Accept(
            state with { Tip = new TipLine(t.TipId, t.Amount, Done: false) },
            new ChargeTip(t.TipId, t.Amount, state.Terms!.Currency, state.Terms.CustomerId!, state.Terms.PaymentMethodId!, state.Terms.RideId)),
        (_, AddTip) => new Decision<Escrow>.Rejected(NotTippable),
        (Captured, TipCharged t) when state.Tip is { Done: false } tip && tip.Id == t.TipId => Accept(
            state with { Tip = tip with { Done = true } },
            Record(state, Entries.Tip(TxId(state, "tip"), state.Terms!.Currency, state.Terms.DriverId, state.Terms.RideId, now, tip.Amount)),
            Tell(state, state.Terms.DriverUserId, "tip.received", tip.Amount)),
        (Captured, TipDeclined t) when state.Tip is { Done: false } tip && tip.Id == t.TipId => Accept(
            state with { Tip = null },
            Tell(state, state.Terms!.RiderId, "tip.declined")),
        (_, TipCharged or TipDeclined) => Decision<Escrow>.Ignore(),

        (Captured, DisputeOpened d) when state.Dispute is null => OpenDispute(state, d, now),
        (Captured, DisputeClosed d) when state.Dispute is { Status: "open" } open && open.Id == d.DisputeId => CloseDispute(state, open, d.Won, now),
        (_, DisputeOpened or DisputeClosed) => Decision<Escrow>.Ignore(),

        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };

    /// <summary>When the authorisation in force is replaced by a new one, if nothing captures it first.</summary>
    public DateTimeOffset? ReauthoriseAt(Escrow state) =>
        state is { Status: Authorised, Due: null, Hold.CaptureBefore: { } before } ? before - rules.ReauthoriseBefore : null;

    private Decision<Escrow> Open(Escrow state, EscrowTerms terms, DateTimeOffset now)
    {
        var opened = state with { Terms = terms, Attempt = 1, Due = state.Outcome == RideStatus.Completed ? terms.Price : state.Due };
        if (opened.Due == 0)
        {
            return Accept(opened with { Status = Released });
        }

        return terms is { CustomerId: { } customer, PaymentMethodId: { } card }
            ? Accept(
                opened with { Status = Authorising },
                new AuthorisePayment(1, rules.HoldFor(terms.Price), terms.Currency, customer, card, terms.BookingId, terms.RideId))
            : Decline(opened, "no-payment-method", null, now);
    }

    private static bool IsWaitingFor(Escrow state, int attempt) =>
        state.Status is Authorising or ActionRequired || (state.Status == Authorised && state.Reauthorising && state.Attempt == attempt);

    private Decision<Escrow> Authorise(Escrow state, PaymentAuthorised a, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var hold = new Authorisation(a.Attempt, a.IntentId, a.Amount, a.CaptureBefore, null);
        var next = state with { Status = Authorised, Hold = hold, Reauthorising = false, ActionDeadline = null };
        List<Effect> effects = [Record(state, Entries.Hold(TxId(state, $"hold-{a.Attempt}"), terms.Currency, terms.DriverId, terms.RideId, now, a.Amount))];
        if (state is { Status: Authorised, Hold: { } replaced })
        {
            // The replaced authorisation is released only now, so the ride was never without a hold.
            effects.Add(new CancelPayment(replaced.IntentId));
            effects.Add(Record(state, Entries.Release(TxId(state, $"release-{replaced.Attempt}"), terms.Currency, terms.DriverId, terms.RideId, now, replaced.Amount)));
        }

        return next.Due is not null ? Finish(next, [.. effects]) : Accept(next, [.. effects]);
    }

    private Decision<Escrow> NeedAction(Escrow state, PaymentNeedsAction n, DateTimeOffset now)
    {
        var deadline = now + rules.ActionWindow;
        return Accept(
            state with { Status = ActionRequired, Hold = new Authorisation(n.Attempt, n.IntentId, 0, null, n.ClientSecret), ActionDeadline = deadline },
            Tell(state, state.Terms!.RiderId, "payment.action-required"));
    }

    /// <summary>The card was refused. The booking hears of it only for the first authorisation (the ride has not
    /// begun); a lapsed hold on a ride under way is a loss the platform sees in the escrow.</summary>
    private Decision<Escrow> Decline(Escrow state, string code, string? intentId, DateTimeOffset now, params Effect[] more)
    {
        var terms = state.Terms!;
        List<Effect> effects = [.. more, Tell(state, terms.RiderId, "payment.declined")];
        if (state.Attempt == 1 && state.Due is null)
        {
            effects.Add(new PaymentFailed(terms.BookingId, terms.RideId));
        }

        var hold = intentId is null ? state.Hold : state.Hold ?? new Authorisation(state.Attempt, intentId, 0, null, null);
        return Accept(state with { Status = Declined, Hold = hold, FailureCode = code, ActionDeadline = null, Reauthorising = false }, [.. effects]);
    }

    /// <summary>A new authorisation for the ride: alongside the one in force (which is released when it succeeds),
    /// or after one that lapsed.</summary>
    private Decision<Escrow> Reauthorise(Escrow state, params Effect[] effects)
    {
        var terms = state.Terms!;
        var attempt = state.Attempt + 1;
        return Accept(
            state with { Attempt = attempt, Reauthorising = state.Status == Authorised },
            [.. effects, new AuthorisePayment(attempt, rules.HoldFor(terms.Price), terms.Currency, terms.CustomerId!, terms.PaymentMethodId!, terms.BookingId, terms.RideId)]);
    }

    /// <summary>An intent that is not the hold (a retry's, a replaced one) is cancelled; the state keeps its deadline.</summary>
    private Decision<Escrow> Orphan(Escrow state, string intentId) =>
        state.Hold?.IntentId == intentId ? Decision<Escrow>.Ignore() : Accept(state, new CancelPayment(intentId));

    /// <summary>What the ride's end makes due: the fare when it completed, else the fee (the hold caps both).</summary>
    private static long Charge(EscrowTerms terms, RideOver over) => over.Outcome == RideStatus.Completed ? terms.Price : over.Fee;

    /// <summary>With a hold in force, capture what is due or release the hold; with nothing due, cancel what is pending;
    /// otherwise wait for the authorisation.</summary>
    private Decision<Escrow> Finish(Escrow state, params Effect[] effects)
    {
        var due = state.Due!.Value;
        return state.Status switch
        {
            Authorised when due > 0 => Accept(
                state with { Status = Capturing, Reauthorising = false },
                [.. effects, new CapturePayment(state.Hold!.IntentId, Math.Min(due, state.Hold.Amount))]),
            // Nothing due: the hold (or the authorisation still waiting for 3-D Secure) is cancelled.
            Authorised or ActionRequired when due == 0 => Accept(
                state with { Status = Releasing, Reauthorising = false, ActionDeadline = null },
                [.. effects, new CancelPayment(state.Hold!.IntentId)]),

            // Something is due but nothing is held yet: the authorisation captures it when it comes.
            _ => Accept(state, effects),
        };
    }

    private Decision<Escrow> Capture(Escrow state, long amount, DateTimeOffset now)
    {
        var terms = state.Terms!;
        var (_, driverShare) = terms.Fee.Split(amount);
        return Accept(
            state with { Status = Captured, Captured = amount, DriverShare = driverShare },
            Record(state, Entries.Capture(TxId(state, "capture"), terms.Currency, terms.DriverId, terms.RideId, now, state.Hold!.Amount, amount, driverShare)),
            Tell(state, terms.RiderId, "payment.captured", amount),
            Publish(state, BusinessEvents.PaymentCaptured, now, amount));
    }

    /// <summary>The capture was refused (the hold lapsed): nothing was charged; the hold is off the books.</summary>
    private Decision<Escrow> Lapse(Escrow state, string code, DateTimeOffset now) =>
        Accept(state with { Status = Declined, FailureCode = code }, [.. ReleaseHold(state, now)]);

    /// <summary>The hold in force off the books; an authorisation that never held anything (3-D Secure not passed) books nothing.</summary>
    private static IEnumerable<Effect> ReleaseHold(Escrow state, DateTimeOffset now)
    {
        var (terms, hold) = (state.Terms!, state.Hold!);
        return hold.Amount > 0
            ? [Record(state, Entries.Release(TxId(state, $"release-{hold.Attempt}"), terms.Currency, terms.DriverId, terms.RideId, now, hold.Amount))]
            : [];
    }

    private static RecordLedger Record(Escrow state, LedgerTransaction transaction) => new(transaction, state.Terms!.CompanyId);

    /// <summary>A payment's business event, in the ride's company and currency.</summary>
    private static Publish Publish(Escrow state, string type, DateTimeOffset now, long amount, string? reason = null)
    {
        var terms = state.Terms!;
        return new Publish(new BusinessEvent(type, now, terms.CompanyId, terms.BookingId, terms.RideId, terms.DriverId, amount, terms.Currency, reason));
    }

    private static string TxId(Escrow state, string step) => $"{state.Terms!.RideId}:{step}";

    private static Notify Tell(Escrow state, string userId, string topic, long? amount = null) =>
        new([new Notice(userId, topic, state.Terms!.BookingId, amount, state.Terms.RideId)]);

    /// <summary>Accepts with the deadline the new state waits on: the 3-D Secure window, or the re-authorisation.</summary>
    private Decision<Escrow> Accept(Escrow state, params Effect[] effects) =>
        Decision<Escrow>.Accept(state, state.Status == ActionRequired ? state.ActionDeadline : ReauthoriseAt(state), effects);
}
