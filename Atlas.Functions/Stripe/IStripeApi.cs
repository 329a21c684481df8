using Stripe;

namespace Atlas.Functions.Stripe;

/// <summary>The payments port: the Stripe calls Atlas makes, in Stripe.net's objects. Every POST takes the idempotency
/// key it must send (an effect id, so a retried effect can never charge twice).</summary>
public interface IStripeApi
{
    Task<StripeResult<Customer>> CreateCustomerAsync(string userId, string idempotencyKey, CancellationToken ct);

    /// <summary>Deletes the customer (its saved cards go with it; its payments stay). A DELETE takes no idempotency key
    /// and is one by nature: a customer deleted before answers 404 resource_missing.</summary>
    Task<StripeResult<Customer>> DeleteCustomerAsync(string customerId, CancellationToken ct);

    /// <summary>Attaches a card (a payment method from the app, or a test token) to the customer; returns the attached method.</summary>
    Task<StripeResult<PaymentMethod>> AttachPaymentMethodAsync(string paymentMethodId, string customerId, string idempotencyKey, CancellationToken ct);

    /// <summary>Creates and confirms an intent: <paramref name="manualCapture"/> holds the amount (escrow), else it is charged now.
    /// The latest charge comes expanded (its card's <c>capture_before</c> is the hold's deadline).</summary>
    Task<StripeResult<PaymentIntent>> CreateIntentAsync(IntentRequest request, bool manualCapture, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<PaymentIntent>> CaptureAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<PaymentIntent>> CancelAsync(string intentId, string reason, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<PaymentIntent>> GetIntentAsync(string intentId, CancellationToken ct);

    Task<StripeResult<Refund>> RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<Transfer>> TransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<Transfer>> GetTransferAsync(string transferId, CancellationToken ct);

    Task<StripeResult<TransferReversal>> ReverseTransferAsync(string transferId, long amount, string idempotencyKey, CancellationToken ct);

    Task<StripeResult<Dispute>> GetDisputeAsync(string disputeId, CancellationToken ct);

    Task<StripeResult<Event>> GetEventAsync(string eventId, CancellationToken ct);

    /// <summary>A page of the events of <paramref name="types"/> created at or after <paramref name="createdFrom"/>,
    /// newest first, the page after the event <paramref name="startingAfter"/> when one is given.</summary>
    Task<StripeResult<StripeList<Event>>> ListEventsAsync(
        DateTimeOffset createdFrom, IReadOnlyList<string> types, string? startingAfter, int limit, CancellationToken ct);
}

/// <summary>The same port for a caller with no flow around it (an HTTP request someone waits on, a timer): its HTTP
/// client retries under the declared pipeline (<see cref="StripeClients"/>). A caller in a Durable activity or on an
/// effect queue takes <see cref="IStripeApi"/>, which tries once, as the activity or the queue retries it.</summary>
public interface IRetriedStripeApi : IStripeApi;

public sealed record IntentRequest(long Amount, string Currency, string CustomerId, string PaymentMethodId, string TransferGroup, IReadOnlyDictionary<string, string> Metadata);

public sealed record TransferRequest(long Amount, string Currency, string Destination, string TransferGroup, IReadOnlyDictionary<string, string> Metadata);
