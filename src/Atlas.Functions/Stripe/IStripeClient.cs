namespace Atlas.Functions.Stripe;

/// <summary>The payments port: the Stripe calls Atlas makes. Every POST takes the idempotency key it must send (an
/// effect id, so a retried effect can never charge twice).</summary>
public interface IStripeClient
{
    Task<StripeResult<StripeObject>> CreateCustomerAsync(string userId, string idempotencyKey, CancellationToken ct);

    /// <summary>Attaches a card (a payment method from the app, or a test token) to the customer; returns the attached method.</summary>
    Task<StripeResult<StripeObject>> AttachPaymentMethodAsync(string paymentMethodId, string customerId, string idempotencyKey, CancellationToken ct);

    /// <summary>Creates and confirms an intent: <paramref name="manualCapture"/> holds the amount (escrow), else it is charged now.</summary>
    Task<StripeResult<StripeIntent>> CreateIntentAsync(IntentRequest request, bool manualCapture, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<StripeIntent>> CaptureAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<StripeIntent>> CancelAsync(string intentId, string reason, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<StripeIntent>> GetIntentAsync(string intentId, CancellationToken ct);

    Task<StripeResult<StripeObject>> RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<StripeTransfer>> TransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<StripeTransfer>> GetTransferAsync(string transferId, CancellationToken ct);

    Task<StripeResult<StripeObject>> ReverseTransferAsync(string transferId, long amount, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<StripeObject>> GetEventAsync(string eventId, CancellationToken ct);
}

public sealed record IntentRequest(long Amount, string Currency, string CustomerId, string PaymentMethodId, string TransferGroup, IReadOnlyDictionary<string, string> Metadata);

public sealed record TransferRequest(long Amount, string Currency, string Destination, string TransferGroup, IReadOnlyDictionary<string, string> Metadata);
