using System.Text.RegularExpressions;
using Atlas.Core.Common;

namespace Atlas.Core.Payments;

// What Atlas makes of a Stripe event before (and after) the escrow decides on it: whose it is, whether it can apply at
// all, whether the escrow already knows it, what has to be read fresh from Stripe first. The escrow's own rules are in
// EscrowDecider; the reads and the log of what was left are the webhook's.

/// <summary>Why Atlas leaves a Stripe event it could read.</summary>
public enum EventLeftBecause
{
    /// <summary>Not Atlas's: an intent that names no ride, or a ride id not shaped like Atlas's, or a dispute on one.</summary>
    NotOurs,

    /// <summary>Names a ride in Atlas's shape that has no payment in Atlas.</summary>
    UnknownRide,

    /// <summary>The ride's payment refused what the event says.</summary>
    Refused,

    /// <summary>A type, or a dispute outcome, Atlas does not act on.</summary>
    NotUsed,
}

public sealed record EventLeft(EventLeftBecause Because, string Detail);

/// <summary>A payment intent as an event (or a fresh read) shows it.</summary>
/// <param name="TipId">Its tip_id metadata: a tip Atlas charged itself.</param>
/// <param name="RideId">Its ride_id metadata as written (by Atlas, or by another system on the same account).</param>
public sealed record IntentSeen(IntentSnapshot Intent, string? TipId, string? RideId);

/// <summary>A dispute as an event (or a fresh read) shows it.</summary>
public sealed record DisputeSeen(string Id, string? Status, long Amount, string? IntentId);

/// <summary>What to do next with an event.</summary>
public abstract record EventStep
{
    private EventStep()
    {
    }

    /// <summary>Nothing to do: the event confirms what Atlas knows (or did itself).</summary>
    public sealed record Confirm : EventStep;

    public sealed record Leave(EventLeft Left) : EventStep;

    /// <summary>The event can never apply, whatever is retried.</summary>
    public sealed record Reject(string Reason) : EventStep;

    /// <summary>Read the intent fresh from Stripe: what the event carries is not enough.</summary>
    public sealed record ReadIntent(string IntentId) : EventStep;

    /// <summary>Send the command to the ride's escrow.</summary>
    public sealed record Apply(string RideId, EscrowCommand Command) : EventStep;
}

public static partial class StripeEventRules
{
    public static EventStep Confirmed { get; } = new EventStep.Confirm();

    /// <summary>An intent's event: a tip's confirms what Atlas charged itself; one that is not a ride's hold is left; one
    /// without a status or an amount can never apply; otherwise it goes to its ride's escrow, as observed when the event
    /// was created.</summary>
    public static EventStep ForIntent(IntentSeen seen, DateTimeOffset observedAt)
    {
        if (seen.TipId is not null)
        {
            return Confirmed;
        }

        if (RideOf(seen) is not { } rideId)
        {
            return new EventStep.Leave(NotOurs(seen, $"Payment intent {seen.Intent.Id}"));
        }

        return string.IsNullOrEmpty(seen.Intent.Status) || seen.Intent.Amount <= 0
            ? new EventStep.Reject($"Payment intent {seen.Intent.Id} of ride {rideId} has no status or no amount.")
            : new EventStep.Apply(rideId, new IntentObserved(seen.Intent, observedAt));
    }

    /// <summary>Given what the escrow last knew (the state this process last wrote is enough: it only moves forward), an
    /// intent's event mostly confirms what Stripe's own answer already told it; an authorisation's deadline is on its
    /// charge, which events do not expand, so an authorised intent without one is read fresh first.</summary>
    public static EventStep Against(Escrow known, EventStep.Apply apply) => apply.Command switch
    {
        IntentObserved { Intent: var intent } when EscrowDecider.IsPastAuthorisation(known, intent.Status) => Confirmed,
        IntentObserved { Intent: { Status: "requires_capture", CaptureBefore: null } intent } => new EventStep.ReadIntent(intent.Id),
        _ => apply,
    };

    /// <summary>A dispute's event: opened, or closed won (a warning closed counts as won) or lost; any other closing is
    /// left. A dispute that names no intent can never apply; otherwise its intent is read to find the ride.</summary>
    public static EventStep ForDispute(DisputeSeen dispute, bool closed)
    {
        if (DisputeCommand(dispute, closed) is null)
        {
            return new EventStep.Leave(NotActedOn(dispute));
        }

        return dispute.IntentId is { Length: > 0 } intentId
            ? new EventStep.ReadIntent(intentId)
            : new EventStep.Reject($"Dispute {dispute.Id} names no payment intent.");
    }

    /// <summary>The disputed intent, read: a tip's dispute is left (Atlas does not act on them), so is one on an intent
    /// that is not a ride's hold; otherwise the dispute goes to the ride's escrow.</summary>
    public static EventStep ForDisputedIntent(DisputeSeen dispute, bool closed, IntentSeen disputed)
    {
        if (disputed.TipId is not null)
        {
            return new EventStep.Leave(new(
                EventLeftBecause.NotUsed,
                $"Dispute {dispute.Id} is on a tip's payment intent {disputed.Intent.Id}: Atlas does not act on disputes of tips."));
        }

        if (RideOf(disputed) is not { } rideId)
        {
            return new EventStep.Leave(NotOurs(disputed, $"Dispute {dispute.Id} is on payment intent {disputed.Intent.Id}, which"));
        }

        return DisputeCommand(dispute, closed) is { } command
            ? new EventStep.Apply(rideId, command)
            : new EventStep.Leave(NotActedOn(dispute));
    }

    /// <summary>An intent's event older than what the escrow knows is refused as stale: the intent is then read fresh and
    /// that applied instead.</summary>
    public static bool ReadsAgain(Rejection? refused) => refused == EscrowDecider.StaleEvent;

    /// <summary>What the escrow's answer means for the event: null when it was applied (or changed nothing).</summary>
    public static EventLeft? Outcome(string rideId, string subject, Rejection? refused) => refused switch
    {
        null => null,
        _ when refused.Code == EscrowDecider.NotFound.Code => new(EventLeftBecause.UnknownRide, $"{subject} names ride {rideId}, which has no payment in Atlas."),
        _ => new(EventLeftBecause.Refused, $"The payment of ride {rideId} refused it: {refused.Code} ({refused.Reason})"),
    };

    /// <summary>The ride a (non-tip) intent pays for, or null for an intent that is not a ride's hold: another system's
    /// payment on the same Stripe account (its ride_id, if any, is not an Atlas id, which is a storage key's shape).</summary>
    public static string? RideOf(IntentSeen seen) =>
        seen.RideId is { } rideId && IdShape().IsMatch(rideId) && rideId.StartsWith("rd_", StringComparison.Ordinal) ? rideId : null;

    private static EscrowCommand? DisputeCommand(DisputeSeen dispute, bool closed) => (closed, dispute.Status) switch
    {
        (false, _) => new DisputeOpened(dispute.Id, dispute.Amount),
        (true, "won" or "warning_closed") => new DisputeClosed(dispute.Id, Won: true),
        (true, "lost") => new DisputeClosed(dispute.Id, Won: false),
        _ => null,
    };

    private static EventLeft NotActedOn(DisputeSeen dispute) =>
        new(EventLeftBecause.NotUsed, $"Dispute {dispute.Id} closed as '{dispute.Status}', which Atlas does not act on.");

    /// <summary>Why an intent is not Atlas's, with what its metadata names (cut short: another system wrote it).</summary>
    private static EventLeft NotOurs(IntentSeen seen, string subject) =>
        new(EventLeftBecause.NotOurs, seen.RideId is { } named
            ? $"{subject} names ride '{(named.Length > 64 ? named[..64] + "…" : named)}', which is not an Atlas ride id."
            : $"{subject} names no ride (no ride_id in its metadata).");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex IdShape();
}
