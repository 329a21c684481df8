using Atlas.Core.Common;
using Atlas.Core.Ledger;
using Atlas.Core.Rides;

namespace Atlas.Core.Payments;

// A ride's money, one instance per ride: the rider's card is authorised for the winning bid (plus a buffer) when
// the ride is assigned, captured for the fare when it completes (or only the fee when it is cancelled or the rider
// does not show, or released when there is nothing to charge), refunded, tipped and disputed after. Stripe calls
// are effects; their results and Stripe's webhooks come back as commands, and state only moves forward.

public enum EscrowStatus
{
    None,

    /// <summary>The first authorisation is being made.</summary>
    Authorising,

    /// <summary>The card asked for 3-D Secure: the rider's app completes it, a webhook says how it went.</summary>
    ActionRequired,
    Authorised,
    Capturing,
    Releasing,
    Captured,

    /// <summary>Nothing was charged: the authorisation was cancelled.</summary>
    Released,

    /// <summary>The card was declined (or the authorisation lapsed before it could be captured): nothing was charged.</summary>
    Declined,
}

/// <param name="Fee">The platform's cut, fixed when the escrow opens (the company's fee then).</param>
/// <param name="CustomerId">The rider's Stripe customer and saved card; null when they have none.</param>
public sealed record EscrowTerms(
    string RideId,
    string BookingId,
    string RiderId,
    string DriverId,
    string DriverUserId,
    string CompanyId,
    long Price,
    string Currency,
    PlatformFee Fee,
    string? CustomerId,
    string? PaymentMethodId);

/// <summary>One PaymentIntent made for the ride's hold.</summary>
public sealed record Authorisation(int Attempt, string IntentId, long Amount, DateTimeOffset? CaptureBefore, string? ClientSecret);

public sealed record RefundLine(string Id, long Amount, bool Done);

public sealed record TipLine(string Id, long Amount, bool Done);

public sealed record DisputeLine(string Id, long Amount, long Frozen, string Status);

/// <param name="Attempt">The authorisation attempt the escrow is waiting on (re-authorisations count up).</param>
/// <param name="Hold">The authorisation in force (or, while ActionRequired, the one awaiting 3-D Secure).</param>
/// <param name="Reauthorising">True while a new authorisation is being made to replace <paramref name="Hold"/>.</param>
/// <param name="Due">What the ride's end says to charge, once it has ended.</param>
/// <param name="Outcome">How the ride ended, once it has.</param>
/// <param name="ObservedAt">When the latest Stripe event applied was created: older ones are stale.</param>
public sealed record Escrow(
    EscrowStatus Status,
    EscrowTerms? Terms,
    int Attempt,
    Authorisation? Hold,
    bool Reauthorising,
    long? Due,
    RideStatus? Outcome,
    long Captured,
    long DriverShare,
    IReadOnlyList<RefundLine> Refunds,
    TipLine? Tip,
    DisputeLine? Dispute,
    string? FailureCode,
    DateTimeOffset? ActionDeadline,
    DateTimeOffset? ObservedAt)
{
    public static Escrow None { get; } = new(EscrowStatus.None, null, 0, null, false, null, null, 0, 0, [], null, null, null, null, null);

    public long Refunded => Refunds.Sum(r => r.Amount);

    /// <summary>The ride's money is settled (captured, released or declined): what follows (refunds, a tip, a dispute)
    /// happens after the journey, and no hold waits to be renewed.</summary>
    public bool IsOver => Status is EscrowStatus.Captured or EscrowStatus.Released or EscrowStatus.Declined;

    public long RefundedDone => Refunds.Where(r => r.Done).Sum(r => r.Amount);
}

/// <summary>A PaymentIntent as a webhook or a fresh read shows it; <paramref name="Attempt"/> is from its metadata.</summary>
public sealed record IntentSnapshot(
    string Id,
    int? Attempt, string Status, long Amount, long AmountCapturable, long AmountReceived, DateTimeOffset? CaptureBefore, string? CancellationReason, string? ErrorCode);

public abstract record EscrowCommand;

public sealed record OpenEscrow(EscrowTerms Terms) : EscrowCommand;

public sealed record PaymentAuthorised(int Attempt, string IntentId, long Amount, DateTimeOffset? CaptureBefore) : EscrowCommand;

public sealed record PaymentNeedsAction(int Attempt, string IntentId, string ClientSecret) : EscrowCommand;

public sealed record PaymentDeclined(int Attempt, string? IntentId, string Code) : EscrowCommand;

/// <summary>A Stripe event (or a fresh read) showed the intent like this at <paramref name="ObservedAt"/>.</summary>
public sealed record IntentObserved(IntentSnapshot Intent, DateTimeOffset ObservedAt) : EscrowCommand;

/// <summary>The ride ended: the fare is due when it completed, else the fee it carries (0: nothing is due).</summary>
public sealed record RideOver(RideStatus Outcome, long Fee) : EscrowCommand;

public sealed record PaymentCaptured(string IntentId, long Amount) : EscrowCommand;

public sealed record CaptureFailed(string IntentId, string Code) : EscrowCommand;

public sealed record PaymentReleased(string IntentId) : EscrowCommand;

public sealed record RequestRefund(string RefundId, long Amount) : EscrowCommand;

public sealed record RefundSucceeded(string RefundId) : EscrowCommand;

public sealed record RefundFailed(string RefundId, string Code) : EscrowCommand;

public sealed record AddTip(string TipId, long Amount) : EscrowCommand;

public sealed record TipCharged(string TipId) : EscrowCommand;

public sealed record TipDeclined(string TipId, string Code) : EscrowCommand;

public sealed record DisputeOpened(string DisputeId, long Amount) : EscrowCommand;

public sealed record DisputeClosed(string DisputeId, bool Won) : EscrowCommand;

/// <summary>Stripe let the hold in force lapse (the intent was cancelled as expired) before the ride ended.</summary>
public sealed record HoldLapsed(string IntentId) : EscrowCommand;

public sealed record EscrowTimedOut(DateTimeOffset Deadline) : EscrowCommand;

/// <summary>Authorise the card for <paramref name="Amount"/> (manual capture).</summary>
public sealed record AuthorisePayment(int Attempt, long Amount, string Currency, string CustomerId, string PaymentMethodId, string BookingId, string RideId)
    : Effect;

public sealed record CapturePayment(string IntentId, long Amount) : Effect;

/// <summary>Cancel an uncaptured intent (never a refund).</summary>
public sealed record CancelPayment(string IntentId) : Effect;

public sealed record RefundPayment(string RefundId, string IntentId, long Amount) : Effect;

public sealed record ChargeTip(string TipId, long Amount, string Currency, string CustomerId, string PaymentMethodId, string RideId) : Effect;

/// <summary>Append a transaction to the ledger (idempotent by its id); <paramref name="CompanyId"/> is the driver's company,
/// where settlement finds the driver's payout account.</summary>
public sealed record RecordLedger(LedgerTransaction Transaction, string CompanyId) : Effect;

/// <summary>The rider's card could not be authorised for the ride: the booking decides what happens to it.</summary>
public sealed record PaymentFailed(string BookingId, string RideId) : Effect;

public enum DisputeLossPolicy
{
    /// <summary>The platform bears a lost dispute; the driver keeps their share.</summary>
    Absorb,

    /// <summary>The driver's share of a lost dispute is kept back from them.</summary>
    Recover,
}

/// <param name="BufferBasisPoints">Authorised on top of the winning bid, in 1/100 of a percent.</param>
/// <param name="ActionWindow">How long the rider has to complete 3-D Secure.</param>
/// <param name="ReauthoriseBefore">How long before an authorisation lapses a new one replaces it.</param>
/// <param name="MaxTip">The largest tip, in minor units.</param>
public sealed record EscrowRules(int BufferBasisPoints, TimeSpan ActionWindow, TimeSpan ReauthoriseBefore, long MaxTip, DisputeLossPolicy DisputeLosses)
{
    public static EscrowRules Default { get; } = new(1_000, TimeSpan.FromMinutes(15), TimeSpan.FromDays(1), 100_00, DisputeLossPolicy.Absorb);

    public long HoldFor(long price) => price + (long)Math.Ceiling((decimal)price * BufferBasisPoints / PlatformFee.MaxBasisPoints);
}
