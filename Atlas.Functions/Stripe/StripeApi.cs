using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Stripe;
using SdkClient = Stripe.StripeClient;

namespace Atlas.Functions.Stripe;

/// <summary>
/// The payments port over Stripe.net: one <see cref="SdkClient"/> on the configured API base (Stripe, or the local fake),
/// pinned to the API version this Stripe.net release is built for. The caller's idempotency key goes on every POST.
/// This class makes each call once: whether it is tried again is its HttpClient's (see
/// <see cref="StripeClients"/>: none for a call in a flow, whose retry is the flow's; the declared pipeline for one
/// outside a flow), never Stripe.net's (its network retries are off). No answer (a timeout, a network error) or 409,
/// 429 and 5xx, after whatever retries the client has, is <see cref="StripeUnavailableException"/>; refusals are values
/// (<see cref="StripeError"/>).
/// </summary>
public sealed class StripeApi : IRetriedStripeApi
{
    private static readonly List<string> ExpandCharge = ["latest_charge"];

    private readonly SdkClient _stripe;
    private readonly ILogger<StripeApi> _logger;

    public StripeApi(HttpClient http, IOptions<StripeOptions> options, ILogger<StripeApi> logger)
    {
        _logger = logger;
        _stripe = new SdkClient(new StripeClientOptions
        {
            ApiKey = options.Value.SecretKey,
            ApiBase = options.Value.BaseUrl.ToString().TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
        });
    }

    /// <summary>The Stripe-Version every request carries: the one Stripe.net's types are generated for.</summary>
    public static string ApiVersion => StripeConfiguration.ApiVersion;

    public Task<StripeResult<Customer>> CreateCustomerAsync(string userId, string idempotencyKey, CancellationToken ct) =>
        PostAsync("create customer", idempotencyKey, (o, t) => _stripe.V1.Customers.CreateAsync(
            new CustomerCreateOptions { Metadata = new() { ["user_id"] = userId } }, o, t), ct);

    public Task<StripeResult<Customer>> DeleteCustomerAsync(string customerId, CancellationToken ct) =>
        CallAsync("delete customer", null, (o, t) => _stripe.V1.Customers.DeleteAsync(customerId, null, o, t), ct);

    public Task<StripeResult<PaymentMethod>> AttachPaymentMethodAsync(string paymentMethodId, string customerId, string idempotencyKey, CancellationToken ct) =>
        PostAsync("attach payment method", idempotencyKey, (o, t) => _stripe.V1.PaymentMethods.AttachAsync(
            paymentMethodId, new PaymentMethodAttachOptions { Customer = customerId }, o, t), ct);

    public Task<StripeResult<PaymentIntent>> CreateIntentAsync(IntentRequest request, bool manualCapture, string idempotencyKey, CancellationToken ct) =>
        PostAsync("create payment intent", idempotencyKey, (o, t) => _stripe.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions
            {
                Amount = request.Amount,
                Currency = request.Currency.ToLowerInvariant(),
                Customer = request.CustomerId,
                PaymentMethod = request.PaymentMethodId,
                CaptureMethod = manualCapture ? "manual" : "automatic",
                Confirm = true,
                TransferGroup = request.TransferGroup,
                Metadata = new(request.Metadata),
                Expand = ExpandCharge,
            },
            o,
            t), ct);

    public Task<StripeResult<PaymentIntent>> CaptureAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        PostAsync("capture payment intent", idempotencyKey, (o, t) => _stripe.V1.PaymentIntents.CaptureAsync(
            intentId, new PaymentIntentCaptureOptions { AmountToCapture = amount, Expand = ExpandCharge }, o, t), ct);

    public Task<StripeResult<PaymentIntent>> CancelAsync(string intentId, string reason, string idempotencyKey, CancellationToken ct) =>
        PostAsync("cancel payment intent", idempotencyKey, (o, t) => _stripe.V1.PaymentIntents.CancelAsync(
            intentId, new PaymentIntentCancelOptions { CancellationReason = reason }, o, t), ct);

    public Task<StripeResult<PaymentIntent>> GetIntentAsync(string intentId, CancellationToken ct) =>
        CallAsync("read payment intent", null, (o, t) => _stripe.V1.PaymentIntents.GetAsync(
            intentId, new PaymentIntentGetOptions { Expand = ExpandCharge }, o, t), ct);

    public Task<StripeResult<Refund>> RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        PostAsync("create refund", idempotencyKey, (o, t) => _stripe.V1.Refunds.CreateAsync(
            new RefundCreateOptions { PaymentIntent = intentId, Amount = amount, Reason = "requested_by_customer" }, o, t), ct);

    public Task<StripeResult<Transfer>> TransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct) =>
        PostAsync("create transfer", idempotencyKey, (o, t) => _stripe.V1.Transfers.CreateAsync(
            new TransferCreateOptions
            {
                Amount = request.Amount,
                Currency = request.Currency.ToLowerInvariant(),
                Destination = request.Destination,
                TransferGroup = request.TransferGroup,
                Metadata = new(request.Metadata),
            },
            o,
            t), ct);

    public Task<StripeResult<Transfer>> GetTransferAsync(string transferId, CancellationToken ct) =>
        CallAsync("read transfer", null, (o, t) => _stripe.V1.Transfers.GetAsync(transferId, null, o, t), ct);

    public Task<StripeResult<TransferReversal>> ReverseTransferAsync(string transferId, long amount, string idempotencyKey, CancellationToken ct) =>
        PostAsync("reverse transfer", idempotencyKey, (o, t) => _stripe.V1.Transfers.Reversals.CreateAsync(
            transferId, new TransferReversalCreateOptions { Amount = amount }, o, t), ct);

    public Task<StripeResult<Dispute>> GetDisputeAsync(string disputeId, CancellationToken ct) =>
        CallAsync("read dispute", null, (o, t) => _stripe.V1.Disputes.GetAsync(disputeId, null, o, t), ct);

    public Task<StripeResult<Event>> GetEventAsync(string eventId, CancellationToken ct) =>
        CallAsync("read event", null, (o, t) => _stripe.V1.Events.GetAsync(eventId, null, o, t), ct);

    public Task<StripeResult<StripeList<Event>>> ListEventsAsync(
        DateTimeOffset createdFrom, IReadOnlyList<string> types, string? startingAfter, int limit, CancellationToken ct) =>
        CallAsync("list events", null, (o, t) => _stripe.V1.Events.ListAsync(
            new EventListOptions
            {
                Created = new DateRangeOptions { GreaterThanOrEqual = createdFrom.UtcDateTime },
                Types = [.. types],
                StartingAfter = startingAfter,
                Limit = limit,
            },
            o,
            t), ct);

    private Task<StripeResult<T>> PostAsync<T>(string what, string idempotencyKey, Func<RequestOptions, CancellationToken, Task<T>> call, CancellationToken ct)
        where T : class =>
        idempotencyKey is { Length: > 0 and <= 255 }
            ? CallAsync(what, idempotencyKey, call, ct)
            : throw new ArgumentException("Every POST to Stripe carries an idempotency key of 1 to 255 characters.", nameof(idempotencyKey));

    private async Task<StripeResult<T>> CallAsync<T>(
        string what, string? idempotencyKey, Func<RequestOptions, CancellationToken, Task<T>> call, CancellationToken ct)
        where T : class
    {
        try
        {
            return await call(new RequestOptions { IdempotencyKey = idempotencyKey }, ct);
        }
        catch (StripeException e) when (Retryable(e.HttpStatusCode))
        {
            // 409: another request with this key is still running at Stripe; 429: too fast; 5xx: Stripe's side.
            var requestId = e.StripeResponse?.RequestId;
            _logger.LogWarning("Stripe {What} answered {Status} (request {RequestId})", what, (int)e.HttpStatusCode, requestId);
            throw new StripeUnavailableException($"Stripe {what} answered {(int)e.HttpStatusCode} (request {requestId}).", e);
        }
        catch (StripeException e) when (e.HttpStatusCode != 0)
        {
            var error = ToError(e);
            _logger.LogInformation("Stripe {What} refused: {Error}", what, error);
            return error;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or ExecutionRejectedException or StripeException)
        {
            // No answer (a timeout, a network error): the request may have been carried out, so only the same key may
            // try again.
            _logger.LogWarning("Stripe {What} did not answer: {Error}", what, e.GetType().Name);
            throw new StripeUnavailableException($"Stripe {what} did not answer ({e.GetType().Name}).", e);
        }
    }

    /// <summary>The answers worth the same request again: see <see cref="StripeClients"/> for the pipeline's own test.</summary>
    public static bool Retryable(HttpStatusCode status) => (int)status is 409 or 429 or >= 500;

    private static StripeError ToError(StripeException e)
    {
        var error = e.StripeError;
        return new StripeError(
            (int)e.HttpStatusCode,
            error?.Type ?? "api_error",
            error?.Code,
            error?.DeclineCode,
            error?.Message ?? e.Message,
            error?.Param,
            e.StripeResponse?.RequestId,
            error?.PaymentIntent);
    }
}
