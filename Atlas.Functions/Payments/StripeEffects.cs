using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;

namespace Atlas.Functions.Payments;

// The escrow's Stripe calls. Each sends its effect id as the Idempotency-Key, so a redelivered effect replays
// Stripe's first answer instead of charging again, and turns Stripe's answer into the command the escrow decides on.
// Transport failures throw (the effect is retried); Stripe's refusals are answers.

/// <summary>Holds the amount on the rider's card (manual capture), tagged with the booking as transfer group.</summary>
public sealed class Authorisations(IStripeApi stripe) : IEffectHandler<AuthorisePayment>
{
    public async Task<object?> HandleAsync(AuthorisePayment effect, EffectContext context, CancellationToken ct)
    {
        var request = new IntentRequest(
            effect.Amount,
            effect.Currency,
            effect.CustomerId,
            effect.PaymentMethodId,
            effect.BookingId,
            new Dictionary<string, string> { ["ride_id"] = effect.RideId, ["booking_id"] = effect.BookingId, ["attempt"] = $"{effect.Attempt}" });
        var result = await stripe.CreateIntentAsync(request, manualCapture: true, context.EffectId, ct);
        if (result.Value is not { } intent)
        {
            var error = result.Error!;
            return new PaymentDeclined(effect.Attempt, error.Intent?.Id, error.DeclineCode ?? error.Code ?? error.Type);
        }

        return intent.Status switch
        {
            "requires_capture" => new PaymentAuthorised(effect.Attempt, intent.Id, intent.AmountCapturable, intent.CaptureBefore()),
            "requires_action" => new PaymentNeedsAction(effect.Attempt, intent.Id, intent.ClientSecret ?? ""),
            "requires_payment_method" or "canceled" => new PaymentDeclined(effect.Attempt, intent.Id, intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code ?? "card_declined"),

            // Processing: the webhook will say how it ends.
            _ => null,
        };
    }
}

/// <summary>Captures what the ride's end made due. A capture Stripe refuses because the intent moved on is read back:
/// captured already (an earlier attempt whose answer was lost) or lapsed.</summary>
public sealed class Captures(IStripeApi stripe) : IEffectHandler<CapturePayment>
{
    public async Task<object?> HandleAsync(CapturePayment effect, EffectContext context, CancellationToken ct)
    {
        var result = await stripe.CaptureAsync(effect.IntentId, effect.Amount, context.EffectId, ct);
        var intent = result.Value ?? (await stripe.GetIntentAsync(effect.IntentId, ct)).Value;
        return intent?.Status switch
        {
            "succeeded" => new PaymentCaptured(intent.Id, intent.AmountReceived),
            "canceled" => new CaptureFailed(intent.Id, intent.CancellationReason ?? "canceled"),
            _ => new CaptureFailed(effect.IntentId, result.Error?.Code ?? result.Error?.Type ?? intent?.Status ?? "unknown"),
        };
    }
}

/// <summary>Cancels an uncaptured intent. One that is already cancelled (lapsed, or an earlier attempt) counts as released.</summary>
public sealed class Cancellations(IStripeApi stripe, ILogger<Cancellations> logger) : IEffectHandler<CancelPayment>
{
    public async Task<object?> HandleAsync(CancelPayment effect, EffectContext context, CancellationToken ct)
    {
        var result = await stripe.CancelAsync(effect.IntentId, "abandoned", context.EffectId, ct);
        var intent = result.Value ?? (await stripe.GetIntentAsync(effect.IntentId, ct)).Value;
        if (intent?.Status == "canceled")
        {
            return new PaymentReleased(intent.Id);
        }

        logger.LogWarning("Intent {IntentId} could not be cancelled: {Error}; it is {Status}", effect.IntentId, result.Error, intent?.Status);
        return null;
    }
}

public sealed class Refunds(IStripeApi stripe) : IEffectHandler<RefundPayment>
{
    public async Task<object?> HandleAsync(RefundPayment effect, EffectContext context, CancellationToken ct)
    {
        var result = await stripe.RefundAsync(effect.IntentId, effect.Amount, context.EffectId, ct);
        return result.Succeeded
            ? new RefundSucceeded(effect.RefundId)
            : new RefundFailed(effect.RefundId, result.Error!.Code ?? result.Error.Type);
    }
}

/// <summary>A tip is its own charge, captured at once, on the card the ride was paid with.</summary>
public sealed class TipCharges(IStripeApi stripe) : IEffectHandler<ChargeTip>
{
    public async Task<object?> HandleAsync(ChargeTip effect, EffectContext context, CancellationToken ct)
    {
        var request = new IntentRequest(
            effect.Amount,
            effect.Currency,
            effect.CustomerId,
            effect.PaymentMethodId,
            effect.RideId,
            new Dictionary<string, string> { ["ride_id"] = effect.RideId, ["tip_id"] = effect.TipId });
        var result = await stripe.CreateIntentAsync(request, manualCapture: false, context.EffectId, ct);
        return result.Value is { Status: "succeeded" }
            ? new TipCharged(effect.TipId)
            : new TipDeclined(effect.TipId, result.Error?.DeclineCode ?? result.Error?.Code ?? result.Value?.Status ?? "declined");
    }
}
