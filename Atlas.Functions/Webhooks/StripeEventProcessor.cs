using Atlas.Core.Common;
using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Stripe;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Applies one Stripe event to the escrow it concerns. Intent events carry the ride in their metadata; disputes name
/// the intent, which is read back for it. The escrow only moves forward: an event older than what it knows is
/// refused as stale, and then the intent is read fresh from Stripe and applied instead. An event in another API
/// version than the pinned one (Stripe sends them in the account's version) is not trusted for its object's shape:
/// the object is read fresh, in the pinned version, and that is applied. An event Atlas reads and leaves comes back as
/// <see cref="StripeEventIgnored"/> with why: not Atlas's, naming a ride without a payment, refused by the payment, or
/// of a type Atlas does not act on (refunds and transfers it made itself among them). Events about a tip (which Atlas
/// charged itself) confirm what it knows. An event that can never apply throws <see cref="StripeEventRejected"/>;
/// anything else that throws is worth retrying. Those decisions are <see cref="StripeEventRules"/>'s; this class reads
/// what they need from Stripe and the escrow, sends the command they name, and maps the answer.
/// </summary>
public sealed class StripeEventProcessor(Lifecycle<Escrow, EscrowCommand> escrows, IStripeApi stripe, TimeProvider clock, ILogger<StripeEventProcessor> logger)
{
    /// <summary>The types <see cref="ProcessAsync"/> acts on: what the catch-up asks Stripe for.</summary>
    public static readonly IReadOnlyList<string> ActsOn =
    [
        EventTypes.PaymentIntentAmountCapturableUpdated, EventTypes.PaymentIntentSucceeded, EventTypes.PaymentIntentPaymentFailed,
        EventTypes.PaymentIntentCanceled, EventTypes.ChargeDisputeCreated, EventTypes.ChargeDisputeClosed,
    ];

    /// <returns>Null when the event was applied (or confirmed what the payment knew); why it was left otherwise.</returns>
    public async Task<StripeEventIgnored?> ProcessAsync(Event e, CancellationToken ct)
    {
        var current = e.ApiVersion == StripeApi.ApiVersion;
        if (!current)
        {
            logger.LogWarning(
                "Stripe event {EventId} is in API version {Version}, not the pinned {Pinned}: its object is read fresh. Set the webhook endpoint's version to the pinned one.",
                e.Id, e.ApiVersion, StripeApi.ApiVersion);
        }

        switch (e.Type)
        {
            case EventTypes.PaymentIntentAmountCapturableUpdated or EventTypes.PaymentIntentSucceeded
                or EventTypes.PaymentIntentPaymentFailed or EventTypes.PaymentIntentCanceled:
                var intent = current ? Object<PaymentIntent>(e) : await FreshAsync(ObjectId(e), ct);
                return await ApplyIntentAsync(intent, new DateTimeOffset(DateTime.SpecifyKind(e.Created, DateTimeKind.Utc)), ct);
            case EventTypes.ChargeDisputeCreated:
                return await ApplyDisputeAsync(e, current, closed: false, ct);
            case EventTypes.ChargeDisputeClosed:
                return await ApplyDisputeAsync(e, current, closed: true, ct);
            default:
                return new(StripeEventIgnoredReason.NotUsed, $"Atlas does not act on {e.Type} events.");
        }
    }

    private async Task<StripeEventIgnored?> ApplyIntentAsync(PaymentIntent intent, DateTimeOffset observedAt, CancellationToken ct)
    {
        var step = StripeEventRules.ForIntent(Seen(intent), observedAt);
        if (step is not EventStep.Apply apply)
        {
            return Stop(step);
        }

        // The state this process last wrote is enough to tell what the escrow already knows (it only moves forward).
        var (known, _) = await escrows.GetAsync(apply.RideId, ct, cachedIsEnough: true);
        switch (StripeEventRules.Against(known, apply))
        {
            case EventStep.Confirm:
                return null;
            case EventStep.ReadIntent read:
                apply = apply with { Command = new IntentObserved((await FreshAsync(read.IntentId, ct)).ToSnapshot(), observedAt) };
                break;
        }

        var result = await escrows.ExecuteAsync(apply.RideId, apply.Command, ct);
        if (StripeEventRules.ReadsAgain(result.Rejection))
        {
            var fresh = await FreshAsync(intent.Id, ct);
            result = await escrows.ExecuteAsync(apply.RideId, new IntentObserved(fresh.ToSnapshot(), clock.GetUtcNow()), ct);
        }

        return Check(result.Status, result.Rejection, apply.RideId, $"Payment intent {intent.Id}");
    }

    private async Task<StripeEventIgnored?> ApplyDisputeAsync(Event e, bool current, bool closed, CancellationToken ct)
    {
        // In another API version the dispute's fields are not trusted; a later version's dispute is read back in ours.
        var dispute = current ? Object<Dispute>(e) : Fresh(await stripe.GetDisputeAsync(ObjectId(e), ct), "dispute", ObjectId(e));
        var seen = new DisputeSeen(dispute.Id, dispute.Status, dispute.Amount, dispute.PaymentIntentId);
        var step = StripeEventRules.ForDispute(seen, closed);
        if (step is not EventStep.ReadIntent read)
        {
            return Stop(step);
        }

        step = StripeEventRules.ForDisputedIntent(seen, closed, Seen(await FreshAsync(read.IntentId, ct)));
        if (step is not EventStep.Apply apply)
        {
            return Stop(step);
        }

        var result = await escrows.ExecuteAsync(apply.RideId, apply.Command, ct);
        return Check(result.Status, result.Rejection, apply.RideId, $"Dispute {dispute.Id}");
    }

    private static IntentSeen Seen(PaymentIntent intent) => new(intent.ToSnapshot(), intent.Metadata("tip_id"), intent.Metadata("ride_id"));

    /// <summary>Where an event stops short of its escrow: confirmed, left (saying why), or never to apply.</summary>
    private static StripeEventIgnored? Stop(EventStep step) => step switch
    {
        EventStep.Confirm => null,
        EventStep.Leave leave => Ignored(leave.Left),
        EventStep.Reject reject => throw new StripeEventRejected(reject.Reason),
        _ => throw new InvalidOperationException($"An event does not stop at {step}."),
    };

    private static StripeEventIgnored Ignored(EventLeft left) => new(
        left.Because switch
        {
            EventLeftBecause.NotOurs => StripeEventIgnoredReason.NotOurs,
            EventLeftBecause.UnknownRide => StripeEventIgnoredReason.UnknownRide,
            EventLeftBecause.Refused => StripeEventIgnoredReason.Refused,
            EventLeftBecause.NotUsed => StripeEventIgnoredReason.NotUsed,
            _ => throw new ArgumentOutOfRangeException(nameof(left), left.Because, "Unknown reason."),
        },
        left.Detail);

    private async Task<PaymentIntent> FreshAsync(string intentId, CancellationToken ct) =>
        Fresh(await stripe.GetIntentAsync(intentId, ct), "payment intent", intentId);

    private static T Fresh<T>(StripeResult<T> read, string what, string id)
        where T : class =>
        read.Value ?? throw (read.Error!.Status == 404
            ? new StripeEventRejected($"Stripe has no {what} {id}: {read.Error}")
            : new InvalidOperationException($"Reading {what} {id} from Stripe was refused: {read.Error}"));

    private static T Object<T>(Event e)
        where T : class =>
        e.Data?.Object as T ?? throw new StripeEventRejected($"Event {e.Id} ({e.Type}) does not carry a {typeof(T).Name}.");

    private static string ObjectId(Event e) =>
        (e.Data?.Object as IHasId)?.Id is { Length: > 0 } id
            ? id
            : throw new StripeEventRejected($"Event {e.Id} ({e.Type}) carries an object without an id.");

    private static StripeEventIgnored? Check(CommandStatus status, Rejection? rejection, string rideId, string subject)
    {
        ContendedException.ThrowIf(status, $"Applying a Stripe event to the escrow of {rideId}");
        return StripeEventRules.Outcome(rideId, subject, rejection) is { } left ? Ignored(left) : null;
    }
}

/// <summary>An event that can never be applied, whatever is retried: malformed, or naming what Stripe does not have.</summary>
public sealed class StripeEventRejected(string reason) : Exception(reason);
