using Atlas.Core.Common;
using static Atlas.Core.Payments.EscrowStatus;

namespace Atlas.Core.Payments;

// What Stripe's webhooks mean to an escrow: an intent's status read as the command it stands for, in the state the
// escrow is in; events older than the last one applied are refused as stale (the caller reads the intent instead).
public sealed partial class EscrowDecider
{
    /// <summary>True when an intent in <paramref name="intentStatus"/> can no longer move the escrow: a status from before
    /// capture (authorised, declined, waiting) only ever decides an authorisation still pending, and the escrow only moves
    /// forward, so once it is past that, no later state of it takes such an event either.</summary>
    public static bool IsPastAuthorisation(Escrow state, string intentStatus) =>
        state.Status is not (None or Authorising or ActionRequired)
        && !state.Reauthorising
        && intentStatus is "requires_capture" or "requires_action" or "requires_payment_method" or "requires_confirmation" or "processing";

    private Decision<Escrow> Observe(Escrow state, IntentObserved seen, DateTimeOffset now)
    {
        var intent = seen.Intent;
        var command = state.Hold?.IntentId == intent.Id || (state.Status == Authorising && intent.Attempt == state.Attempt)
            ? Translate(state, intent)
            : null;
        if (command is null)
        {
            return Decision<Escrow>.Ignore();
        }

        return Decide(state, command, now) switch
        {
            Decision<Escrow>.Accepted accepted => accepted with { State = accepted.State with { ObservedAt = seen.ObservedAt } },
            var other => other,
        };
    }

    /// <summary>The command an intent's status stands for in the escrow's current state; null when it says nothing new
    /// (a stale or repeated event).</summary>
    private static EscrowCommand? Translate(Escrow state, IntentSnapshot intent) => (state.Status, intent.Status) switch
    {
        (Authorising or ActionRequired, "requires_capture") => new PaymentAuthorised(state.Attempt, intent.Id, intent.AmountCapturable, intent.CaptureBefore),
        (Authorising or ActionRequired, "requires_payment_method") => new PaymentDeclined(state.Attempt, intent.Id, intent.ErrorCode ?? "card_declined"),
        (Authorising, "requires_action") => new PaymentNeedsAction(state.Attempt, intent.Id, ""),
        (ActionRequired, "canceled") => new PaymentDeclined(state.Attempt, intent.Id, intent.CancellationReason ?? "canceled"),
        (Capturing, "succeeded") => new PaymentCaptured(intent.Id, intent.AmountReceived),
        (Capturing, "canceled") => new CaptureFailed(intent.Id, intent.CancellationReason ?? "canceled"),
        (Releasing, "canceled") => new PaymentReleased(intent.Id),

        // The hold lapsed before the ride ended: authorise again (the lapsed one is already gone).
        (Authorised, "canceled") when intent.CancellationReason == "expired" => new HoldLapsed(intent.Id),
        _ => null,
    };
}
