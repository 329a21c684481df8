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
/// the object is read fresh, in the pinned version, and that is applied. Events about what Atlas did itself (refunds,
/// transfers) and types Atlas does not use are acknowledged and left. An event that can never apply throws
/// <see cref="StripeEventRejected"/>; anything else that throws is worth retrying.
/// </summary>
public sealed class StripeEventProcessor(Lifecycle<Escrow, EscrowCommand> escrows, IStripeApi stripe, TimeProvider clock, ILogger<StripeEventProcessor> logger)
{
    public async Task ProcessAsync(Event e, CancellationToken ct)
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
                await ApplyIntentAsync(intent, new DateTimeOffset(DateTime.SpecifyKind(e.Created, DateTimeKind.Utc)), ct);
                break;
            case EventTypes.ChargeDisputeCreated:
                await ApplyDisputeAsync(e, current, d => new DisputeOpened(d.Id, d.Amount), ct);
                break;
            case EventTypes.ChargeDisputeClosed:
                await ApplyDisputeAsync(e, current, d => d.Status switch
                {
                    "won" or "warning_closed" => new DisputeClosed(d.Id, Won: true),
                    "lost" => new DisputeClosed(d.Id, Won: false),
                    _ => null,
                }, ct);
                break;
            default:
                logger.LogDebug("Stripe event {Type} acknowledged; nothing to do", e.Type);
                break;
        }
    }

    private async Task ApplyIntentAsync(PaymentIntent intent, DateTimeOffset observedAt, CancellationToken ct)
    {
        if (RideOf(intent) is not { } rideId)
        {
            return;
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
            return;
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

        Check(result.Status, result.Rejection, rideId);
    }

    private async Task ApplyDisputeAsync(Event e, bool current, Func<Dispute, EscrowCommand?> command, CancellationToken ct)
    {
        // In another API version the dispute's fields are not trusted; a later version's dispute is read back in ours.
        var dispute = current ? Object<Dispute>(e) : Fresh(await stripe.GetDisputeAsync(ObjectId(e), ct), "dispute", ObjectId(e));
        if (command(dispute) is not { } cmd)
        {
            return;
        }

        if (dispute.PaymentIntentId is not { Length: > 0 } intentId)
        {
            throw new StripeEventRejected($"Dispute {dispute.Id} names no payment intent.");
        }

        if (RideOf(await FreshAsync(intentId, ct)) is not { } rideId)
        {
            logger.LogWarning("Dispute {DisputeId} is on intent {IntentId}, which is not a ride's", dispute.Id, intentId);
            return;
        }

        var result = await escrows.ExecuteAsync(rideId, cmd, ct);
        Check(result.Status, result.Rejection, rideId);
    }

    /// <summary>The ride an intent pays for, or null for an intent that is not a ride's hold: a tip, or another
    /// system's payment on the same Stripe account (its ride_id, if any, is not an Atlas id).</summary>
    private string? RideOf(PaymentIntent intent)
    {
        if (intent.Metadata("tip_id") is not null || intent.Metadata("ride_id") is not { } rideId)
        {
            return null;
        }

        if (!LifecycleKeys.IsValidId(rideId) || !rideId.StartsWith("rd_", StringComparison.Ordinal))
        {
            logger.LogInformation("Payment intent {IntentId} names ride '{RideId}', which is not an Atlas ride: ignored", intent.Id, rideId);
            return null;
        }

        return rideId;
    }

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

    private void Check(CommandStatus status, Rejection? rejection, string rideId)
    {
        if (status == CommandStatus.Contended)
        {
            throw new InvalidOperationException($"Applying a Stripe event to the escrow of {rideId} lost every race; retrying.");
        }

        if (rejection is not null)
        {
            logger.LogInformation("Stripe event for ride {RideId} not applied: {Code}", rideId, rejection.Code);
        }
    }
}

/// <summary>An event that can never be applied, whatever is retried: malformed, or naming what Stripe does not have.</summary>
public sealed class StripeEventRejected(string reason) : Exception(reason);
