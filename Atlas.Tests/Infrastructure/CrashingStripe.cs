using Atlas.Functions.Stripe;
using Stripe;

namespace Atlas.Tests.Infrastructure;

/// <summary>The Stripe port, dying right after Stripe has acted on one armed call: what a process crash between
/// Stripe's answer and the feedback looks like to the rest of the app.</summary>
public sealed class CrashingStripe(IStripeApi inner) : IStripeApi
{
    private string? _armed;

    /// <summary>The next call of this method (nameof) throws after it reached Stripe.</summary>
    public void Arm(string method) => _armed = method;

    public Task<StripeResult<Customer>> CreateCustomerAsync(string userId, string idempotencyKey, CancellationToken ct) =>
        After(nameof(CreateCustomerAsync), inner.CreateCustomerAsync(userId, idempotencyKey, ct));

    public Task<StripeResult<Customer>> DeleteCustomerAsync(string customerId, CancellationToken ct) =>
        After(nameof(DeleteCustomerAsync), inner.DeleteCustomerAsync(customerId, ct));

    public Task<StripeResult<PaymentMethod>> AttachPaymentMethodAsync(string paymentMethodId, string customerId, string idempotencyKey, CancellationToken ct) =>
        After(nameof(AttachPaymentMethodAsync), inner.AttachPaymentMethodAsync(paymentMethodId, customerId, idempotencyKey, ct));

    public Task<StripeResult<PaymentIntent>> CreateIntentAsync(IntentRequest request, bool manualCapture, string idempotencyKey, CancellationToken ct) =>
        After(nameof(CreateIntentAsync), inner.CreateIntentAsync(request, manualCapture, idempotencyKey, ct));

    public Task<StripeResult<PaymentIntent>> CaptureAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        After(nameof(CaptureAsync), inner.CaptureAsync(intentId, amount, idempotencyKey, ct));

    public Task<StripeResult<PaymentIntent>> CancelAsync(string intentId, string reason, string idempotencyKey, CancellationToken ct) =>
        After(nameof(CancelAsync), inner.CancelAsync(intentId, reason, idempotencyKey, ct));

    public Task<StripeResult<PaymentIntent>> GetIntentAsync(string intentId, CancellationToken ct) => inner.GetIntentAsync(intentId, ct);

    public Task<StripeResult<Refund>> RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        After(nameof(RefundAsync), inner.RefundAsync(intentId, amount, idempotencyKey, ct));

    public Task<StripeResult<Transfer>> TransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct) =>
        After(nameof(TransferAsync), inner.TransferAsync(request, idempotencyKey, ct));

    public Task<StripeResult<Transfer>> GetTransferAsync(string transferId, CancellationToken ct) => inner.GetTransferAsync(transferId, ct);

    public Task<StripeResult<TransferReversal>> ReverseTransferAsync(string transferId, long amount, string idempotencyKey, CancellationToken ct) =>
        After(nameof(ReverseTransferAsync), inner.ReverseTransferAsync(transferId, amount, idempotencyKey, ct));

    public Task<StripeResult<Dispute>> GetDisputeAsync(string disputeId, CancellationToken ct) => inner.GetDisputeAsync(disputeId, ct);

    public Task<StripeResult<Event>> GetEventAsync(string eventId, CancellationToken ct) => inner.GetEventAsync(eventId, ct);

    public Task<StripeResult<StripeList<Event>>> ListEventsAsync(
        DateTimeOffset createdFrom, IReadOnlyList<string> types, string? startingAfter, int limit, CancellationToken ct) =>
        inner.ListEventsAsync(createdFrom, types, startingAfter, limit, ct);

    private async Task<T> After<T>(string method, Task<T> call)
    {
        var result = await call;
        if (Interlocked.CompareExchange(ref _armed, null, method) == method)
        {
            throw new InvalidOperationException($"Crash injected after {method} reached Stripe.");
        }

        return result;
    }
}
