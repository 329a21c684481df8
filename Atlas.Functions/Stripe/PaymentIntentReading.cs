using Atlas.Core.Payments;
using Stripe;

namespace Atlas.Functions.Stripe;

/// <summary>What Atlas reads off a PaymentIntent: the attempt it tagged it with, and the snapshot the escrow decides on.</summary>
public static class PaymentIntentReading
{
    public static int? Attempt(this PaymentIntent intent) =>
        intent.Metadata?.TryGetValue("attempt", out var a) == true && int.TryParse(a, out var attempt) ? attempt : null;

    public static string? Metadata(this PaymentIntent intent, string key) =>
        intent.Metadata?.TryGetValue(key, out var value) == true ? value : null;

    /// <summary>The hold's deadline, on the latest charge's card (present when the charge was expanded).</summary>
    public static DateTimeOffset? CaptureBefore(this PaymentIntent intent) =>
        intent.LatestCharge?.PaymentMethodDetails?.Card?.CaptureBefore is { } before && before != default
            ? new DateTimeOffset(DateTime.SpecifyKind(before, DateTimeKind.Utc))
            : null;

    public static IntentSnapshot ToSnapshot(this PaymentIntent intent) => new(
        intent.Id,
        intent.Attempt(),
        intent.Status,
        intent.Amount,
        intent.AmountCapturable,
        intent.AmountReceived,
        intent.CaptureBefore(),
        intent.CancellationReason,
        intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code);
}
