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
/// anything else that throws is worth retrying.
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
                return await ApplyDisputeAsync(e, current, d => new DisputeOpened(d.Id, d.Amount), ct);
            case EventTypes.ChargeDisputeClosed:
                return await ApplyDisputeAsync(e, current, d => d.Status switch
                {
                    "won" or "warning_closed" => new DisputeClosed(d.Id, Won: true),
                    "lost" => new DisputeClosed(d.Id, Won: false),
                    _ => null,
                }, ct);
            default:
                return new(StripeEventIgnoredReason.NotUsed, $"Atlas does not act on {e.Type} events.");
        }
    }

    private async Task<StripeEventIgnored?> ApplyIntentAsync(PaymentIntent intent, DateTimeOffset observedAt, CancellationToken ct)
    {
        if (intent.Metadata("tip_id") is not null)
        {
            return null;
        }

        if (RideOf(intent) is not { } rideId)
        {
            return NotOurs(intent, $"Payment intent {intent.Id}");
        }

        if (string.IsNullOrEmpty(intent.Status) || intent.Amount <= 0)
        {
            throw new StripeEventRejected($"Payment intent {intent.Id} of ride {rideId} has no status or no amount.");
        }

        // Most events confirm what Stripe's own answer already told the escrow. The state this process last wrote is
        // enough to tell (the escrow only moves forward): nothing to read, nothing to decide.
        var (known, _) = await escrows.GetAsync(rideId, ct, cachedIsEnough: true);
        if (EscrowDecider.IsPastAuthorisation(known, intent.Status))
        {
            return null;
        }

        // An authorisation's deadline is on its charge, which events do not expand: read it.
        if (intent.Status == "requires_capture" && intent.CaptureBefore() is null)
        {
            intent = await FreshAsync(intent.Id, ct);
        }

        var result = await escrows.ExecuteAsync(rideId, new IntentObserved(intent.ToSnapshot(), observedAt), ct);
        if (result.Rejection == EscrowDecider.StaleEvent)
        {
            var fresh = await FreshAsync(intent.Id, ct);
            result = await escrows.ExecuteAsync(rideId, new IntentObserved(fresh.ToSnapshot(), clock.GetUtcNow()), ct);
        }

        return Check(result.Status, result.Rejection, rideId, $"Payment intent {intent.Id}");
    }

    private async Task<StripeEventIgnored?> ApplyDisputeAsync(Event e, bool current, Func<Dispute, EscrowCommand?> command, CancellationToken ct)
    {
        // In another API version the dispute's fields are not trusted; a later version's dispute is read back in ours.
        var dispute = current ? Object<Dispute>(e) : Fresh(await stripe.GetDisputeAsync(ObjectId(e), ct), "dispute", ObjectId(e));
        if (command(dispute) is not { } cmd)
        {
            return new(StripeEventIgnoredReason.NotUsed, $"Dispute {dispute.Id} closed as '{dispute.Status}', which Atlas does not act on.");
        }

        if (dispute.PaymentIntentId is not { Length: > 0 } intentId)
        {
            throw new StripeEventRejected($"Dispute {dispute.Id} names no payment intent.");
        }

        var disputed = await FreshAsync(intentId, ct);
        if (disputed.Metadata("tip_id") is not null)
        {
            return new(StripeEventIgnoredReason.NotUsed, $"Dispute {dispute.Id} is on a tip's payment intent {intentId}: Atlas does not act on disputes of tips.");
        }

        if (RideOf(disputed) is not { } rideId)
        {
            return NotOurs(disputed, $"Dispute {dispute.Id} is on payment intent {intentId}, which");
        }

        var result = await escrows.ExecuteAsync(rideId, cmd, ct);
        return Check(result.Status, result.Rejection, rideId, $"Dispute {dispute.Id}");
    }

    /// <summary>The ride a (non-tip) intent pays for, or null for an intent that is not a ride's hold: another system's
    /// payment on the same Stripe account (its ride_id, if any, is not an Atlas id).</summary>
    private static string? RideOf(PaymentIntent intent) =>
        intent.Metadata("ride_id") is { } rideId && LifecycleKeys.IsValidId(rideId) && rideId.StartsWith("rd_", StringComparison.Ordinal) ? rideId : null;

    /// <summary>Why an intent is not Atlas's, with what its metadata names (cut short: another system wrote it).</summary>
    private static StripeEventIgnored NotOurs(PaymentIntent intent, string subject) =>
        new(StripeEventIgnoredReason.NotOurs, intent.Metadata("ride_id") is { } named
            ? $"{subject} names ride '{(named.Length > 64 ? named[..64] + "…" : named)}', which is not an Atlas ride id."
            : $"{subject} names no ride (no ride_id in its metadata).");

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
        if (status == CommandStatus.Contended)
        {
            throw new InvalidOperationException($"Applying a Stripe event to the escrow of {rideId} lost every race; retrying.");
        }

        return rejection switch
        {
            null => null,
            _ when rejection.Code == EscrowDecider.NotFound.Code => new(StripeEventIgnoredReason.UnknownRide, $"{subject} names ride {rideId}, which has no payment in Atlas."),
            _ => new(StripeEventIgnoredReason.Refused, $"The payment of ride {rideId} refused it: {rejection.Code} ({rejection.Reason})"),
        };
    }
}

/// <summary>An event that can never be applied, whatever is retried: malformed, or naming what Stripe does not have.</summary>
public sealed class StripeEventRejected(string reason) : Exception(reason);
