using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Atlas.Functions.Common;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Stripe;

/// <summary>
/// Stripe's REST API over HttpClient: bearer auth, form bodies, the pinned Stripe-Version, the caller's
/// Idempotency-Key on every POST (never on GET). Timeouts, network errors and 5xx are retried with the same key;
/// 429 backs off exponentially with jitter; both bounded by <see cref="StripeOptions.MaxAttempts"/>.
/// </summary>
public sealed class StripeClient(HttpClient http, IOptions<StripeOptions> options, RandomSource random, ILogger<StripeClient> logger) : IStripeClient
{
    private StripeOptions Options => options.Value;

    public async Task<StripeResult<StripeObject>> CreateCustomerAsync(string userId, string idempotencyKey, CancellationToken ct) =>
        await PostAsync("v1/customers", new StripeForm().Nested("metadata", [new("user_id", userId)]), idempotencyKey, StripeObject.Read, ct);

    public async Task<StripeResult<StripeObject>> AttachPaymentMethodAsync(string paymentMethodId, string customerId, string idempotencyKey, CancellationToken ct) =>
        await PostAsync($"v1/payment_methods/{Uri.EscapeDataString(paymentMethodId)}/attach", new StripeForm().Add("customer", customerId), idempotencyKey, StripeObject.Read, ct);

    public async Task<StripeResult<StripeIntent>> CreateIntentAsync(IntentRequest request, bool manualCapture, string idempotencyKey, CancellationToken ct)
    {
        var form = new StripeForm()
            .Add("amount", request.Amount)
            .Add("currency", request.Currency.ToLowerInvariant())
            .Add("customer", request.CustomerId)
            .Add("payment_method", request.PaymentMethodId)
            .Add("capture_method", manualCapture ? "manual" : "automatic")
            .Add("confirm", true)
            .Add("transfer_group", request.TransferGroup)
            .Nested("metadata", request.Metadata)
            .Array("expand", "latest_charge");
        return await PostAsync("v1/payment_intents", form, idempotencyKey, StripeIntent.Read, ct);
    }

    public async Task<StripeResult<StripeIntent>> CaptureAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        await PostAsync(
            $"v1/payment_intents/{Uri.EscapeDataString(intentId)}/capture",
            new StripeForm().Add("amount_to_capture", amount).Array("expand", "latest_charge"),
            idempotencyKey,
            StripeIntent.Read,
            ct);

    public async Task<StripeResult<StripeIntent>> CancelAsync(string intentId, string reason, string idempotencyKey, CancellationToken ct) =>
        await PostAsync($"v1/payment_intents/{Uri.EscapeDataString(intentId)}/cancel", new StripeForm().Add("cancellation_reason", reason), idempotencyKey, StripeIntent.Read, ct);

    public async Task<StripeResult<StripeIntent>> GetIntentAsync(string intentId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, $"v1/payment_intents/{Uri.EscapeDataString(intentId)}?expand[]=latest_charge", null, null, StripeIntent.Read, ct);

    public async Task<StripeResult<StripeObject>> RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        await PostAsync("v1/refunds", new StripeForm().Add("payment_intent", intentId).Add("amount", amount).Add("reason", "requested_by_customer"), idempotencyKey, StripeObject.Read, ct);

    public async Task<StripeResult<StripeTransfer>> TransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct)
    {
        var form = new StripeForm()
            .Add("amount", request.Amount)
            .Add("currency", request.Currency.ToLowerInvariant())
            .Add("destination", request.Destination)
            .Add("transfer_group", request.TransferGroup)
            .Nested("metadata", request.Metadata);
        return await PostAsync("v1/transfers", form, idempotencyKey, StripeTransfer.Read, ct);
    }

    public async Task<StripeResult<StripeTransfer>> GetTransferAsync(string transferId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, $"v1/transfers/{Uri.EscapeDataString(transferId)}", null, null, StripeTransfer.Read, ct);

    public async Task<StripeResult<StripeObject>> ReverseTransferAsync(string transferId, long amount, string idempotencyKey, CancellationToken ct) =>
        await PostAsync($"v1/transfers/{Uri.EscapeDataString(transferId)}/reversals", new StripeForm().Add("amount", amount), idempotencyKey, StripeObject.Read, ct);

    public async Task<StripeResult<StripeObject>> GetEventAsync(string eventId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, $"v1/events/{Uri.EscapeDataString(eventId)}", null, null, StripeObject.Read, ct);

    private Task<StripeResult<T>> PostAsync<T>(string path, StripeForm form, string idempotencyKey, Func<JsonElement, T> read, CancellationToken ct)
        where T : class =>
        idempotencyKey is { Length: > 0 and <= 255 }
            ? SendAsync(HttpMethod.Post, path, form.Encode(), idempotencyKey, read, ct)
            : throw new ArgumentException("Every POST to Stripe carries an idempotency key of 1 to 255 characters.", nameof(idempotencyKey));

    private async Task<StripeResult<T>> SendAsync<T>(HttpMethod method, string path, string? body, string? idempotencyKey, Func<JsonElement, T> read, CancellationToken ct)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= Options.MaxAttempts;
            using var request = new HttpRequestMessage(method, new Uri(Options.BaseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.SecretKey);
            request.Headers.Add("Stripe-Version", Options.ApiVersion);
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Options.Timeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, timeout.Token);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
            {
                // The request may have been carried out: only the same key may try again.
                logger.LogWarning("Stripe {Method} {Path} failed on attempt {Attempt}: {Error}", method, path, attempt, e.GetType().Name);
                if (last)
                {
                    throw new StripeUnavailableException($"Stripe {method} {path} did not answer in {attempt} attempts.", e);
                }

                await Task.Delay(Backoff(attempt), ct);
                continue;
            }

            using (response)
            {
                var requestId = response.Headers.TryGetValues("Request-Id", out var ids) ? ids.FirstOrDefault() : null;
                var status = (int)response.StatusCode;
                if (status is 429 or 409 || status >= 500)
                {
                    // 409: another request with this key is still running at Stripe; 429: too fast; 5xx: Stripe's side.
                    logger.LogWarning("Stripe {Method} {Path} answered {Status} on attempt {Attempt} (request {RequestId})", method, path, status, attempt, requestId);
                    if (last)
                    {
                        throw new StripeUnavailableException($"Stripe {method} {path} answered {status} {attempt} times (request {requestId}).");
                    }

                    await Task.Delay(Backoff(attempt, status == 429 ? Options.RetryDelay * 2 : Options.RetryDelay), ct);
                    continue;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
                if (response.IsSuccessStatusCode)
                {
                    return read(json.RootElement);
                }

                var error = ReadError(status, json.RootElement, requestId);
                logger.LogInformation("Stripe {Method} {Path} refused: {Error}", method, path, error);
                return error;
            }
        }
    }

    /// <summary>Exponential: about base × 2^(attempt−1), with full jitter in its upper half, capped at 10 s.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan? baseDelay = null)
    {
        var ceiling = Math.Min(10_000, (baseDelay ?? Options.RetryDelay).TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (random.NewFraction() / 2)));
    }

    private static StripeError ReadError(int status, JsonElement json, string? requestId)
    {
        var error = json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        string? Field(string name) => error.ValueKind == JsonValueKind.Object ? StripeIntent.Text(error, name) : null;
        var intent = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("payment_intent", out var pi) && pi.ValueKind == JsonValueKind.Object
            ? StripeIntent.Read(pi)
            : null;
        return new StripeError(status, Field("type") ?? "api_error", Field("code"), Field("decline_code"), Field("message"), Field("param"), requestId, intent);
    }
}
