using System.Diagnostics;
using Atlas.FakeStripe;
using Atlas.Functions.Stripe;
using Atlas.Testing;
using Microsoft.Extensions.Options;
using Stripe;

namespace Atlas.Tests.Payments;

/// <summary>The Stripe port on Stripe.net against the fake Stripe server over loopback HTTP: the SDK's real code
/// sends the requests, and reads the fake's JSON. Both registrations, as the app makes them: the retried client (for
/// callers with no flow around them) and the one that tries once (for callers a flow or a queue retries).</summary>
public sealed class StripeClientTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private FakeStripeServer _stripe = null!;
    private ServiceProvider _services = null!;
    private IStripeApi _client = null!;
    private IStripeApi _oneTry = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions(), _clock);
        _services = Clients(_stripe.BaseUrl);
        _client = _services.GetRequiredService<IRetriedStripeApi>();
        _oneTry = _services.GetRequiredService<IStripeApi>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task Every_request_is_authenticated_form_encoded_with_brackets_and_pinned_to_the_version()
    {
        var intent = await AuthoriseAsync("pm_card_visa", key: "effect-1");

        var post = _stripe.Requests.Last(r => r.Path == "/v1/payment_intents");
        Assert.Equal($"Bearer {TestSettings.StripeKey}", post.Authorization);
        Assert.Equal(StripeApi.ApiVersion, post.StripeVersion);
        Assert.StartsWith("application/x-www-form-urlencoded", post.ContentType, StringComparison.Ordinal);
        Assert.Contains("metadata[ride_id]=rd_1", Uri.UnescapeDataString(post.Body), StringComparison.Ordinal);
        Assert.Contains("expand[0]=latest_charge", Uri.UnescapeDataString(post.Body), StringComparison.Ordinal);
        Assert.Contains("capture_method=manual", post.Body, StringComparison.Ordinal);
        Assert.Equal("effect-1", post.IdempotencyKey);
        Assert.Equal("requires_capture", intent.Status);
        Assert.Equal(_clock.GetUtcNow().AddDays(7).ToUnixTimeSeconds(), intent.CaptureBefore()!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public void The_pinned_version_is_the_one_the_fake_shapes_its_objects_for()
    {
        Assert.Equal(FakeStripeServer.ApiVersion, StripeApi.ApiVersion);
    }

    [Fact]
    public async Task An_expanded_charge_and_a_card_read_back_as_Stripe_nets_typed_objects()
    {
        var customer = await CustomerWithCardAsync("pm_card_visa");
        var intent = await AuthoriseAsync("pm_card_visa");

        var method = (await _client.AttachPaymentMethodAsync("pm_card_visa", customer.Customer, "attach-typed", default)).Value!;
        var read = (await _client.GetIntentAsync(intent.Id, default)).Value!;

        Assert.Equal(("visa", "4242"), (method.Card.Brand, method.Card.Last4));
        Assert.Equal(read.LatestChargeId, read.LatestCharge.Id);
        Assert.Equal(1_100, read.AmountCapturable);
        Assert.Equal("rd_1", read.Metadata["ride_id"]);
        Assert.Equal(1, read.Attempt());
        Assert.Contains("expand[0]=latest_charge", Uri.UnescapeDataString(_stripe.Requests.Last().Path + "?" + _stripe.Requests.Last().Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_get_carries_no_idempotency_key_and_a_post_must_have_one()
    {
        var intent = await AuthoriseAsync("pm_card_visa");

        await _client.GetIntentAsync(intent.Id, default);

        Assert.Null(_stripe.Requests.Last().IdempotencyKey);
        Assert.Equal("GET", _stripe.Requests.Last().Method);
        await Assert.ThrowsAsync<ArgumentException>(() => _client.CaptureAsync(intent.Id, 100, "", default));
    }

    [Fact]
    public async Task A_500_is_retried_with_the_same_key_and_charges_once()
    {
        var customer = await CustomerWithCardAsync("pm_card_visa");
        _stripe.Inject(500, count: 2, path: "/v1/payment_intents");

        var result = await _client.CreateIntentAsync(Request(customer), manualCapture: true, "effect-500", default);

        Assert.True(result.Succeeded);
        var attempts = _stripe.Requests.Where(r => r.Path == "/v1/payment_intents").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("effect-500", a.IdempotencyKey));
        Assert.Single(_stripe.State.Events, e => (string?)e["type"] == "payment_intent.amount_capturable_updated");
    }

    [Fact]
    public async Task A_timeout_after_stripe_acted_is_retried_with_the_same_key_and_gets_the_first_answer()
    {
        var customer = await CustomerWithCardAsync("pm_card_visa");
        await using var quick = Clients(_stripe.BaseUrl, timeout: 1.5);
        _stripe.Inject(0, path: "/v1/payment_intents", delay: TimeSpan.FromSeconds(5));

        var result = await quick.GetRequiredService<IRetriedStripeApi>().CreateIntentAsync(Request(customer), manualCapture: true, "effect-slow", default);

        Assert.Equal("requires_capture", result.Value!.Status);
        Assert.Equal(2, _stripe.Requests.Count(r => r.Path == "/v1/payment_intents"));
        Assert.Single(_stripe.State.Events, e => (string?)e["type"] == "payment_intent.amount_capturable_updated");
    }

    [Fact]
    public async Task Rate_limiting_backs_off_and_gives_up_after_the_bounded_attempts()
    {
        _stripe.Inject(429, count: 10, path: "/v1/customers");

        await Assert.ThrowsAsync<StripeUnavailableException>(() => _client.CreateCustomerAsync("usr_1", "effect-429", default));

        Assert.Equal(4, _stripe.Requests.Count(r => r.Path == "/v1/customers"));
        _stripe.ClearFaults();
    }

    [Fact]
    public async Task A_429_is_tried_again_no_sooner_than_Stripes_Retry_After()
    {
        _stripe.Inject(429, path: "/v1/customers", retryAfter: TimeSpan.FromSeconds(1));
        var waited = Stopwatch.StartNew();

        var created = await _client.CreateCustomerAsync("usr_1", "effect-wait", default);

        // The pipeline's own first delay is 1 ms: only the header makes it wait a second.
        Assert.True(created.Succeeded);
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(0.9), $"tried again after {waited.Elapsed}");
        Assert.Equal(2, _stripe.Requests.Count(r => r.Path == "/v1/customers"));
    }

    [Fact]
    public async Task A_refusal_Stripe_says_not_to_retry_is_not_retried()
    {
        var intent = await AuthoriseAsync("pm_card_visa");
        var before = _stripe.Requests.Count;

        var tooMuch = await _client.CaptureAsync(intent.Id, 1_101, "cap-too-much", default);

        Assert.Equal(400, tooMuch.Error!.Status);
        Assert.Equal(before + 1, _stripe.Requests.Count);
    }

    [Fact]
    public async Task The_client_for_flows_tries_once_and_leaves_the_retry_to_the_flow()
    {
        var customer = await CustomerWithCardAsync("pm_card_visa");
        _stripe.Inject(503, count: 10, path: "/v1/payment_intents");

        await Assert.ThrowsAsync<StripeUnavailableException>(() => _oneTry.CreateIntentAsync(Request(customer), manualCapture: true, "effect-once", default));

        Assert.Single(_stripe.Requests, r => r.Path == "/v1/payment_intents");
        _stripe.ClearFaults();
    }

    [Fact]
    public async Task The_client_for_flows_gives_up_on_a_late_answer_after_its_timeout_without_trying_again()
    {
        var customer = await CustomerWithCardAsync("pm_card_visa");
        await using var quick = Clients(_stripe.BaseUrl, timeout: 1.5);
        _stripe.Inject(0, path: "/v1/payment_intents", delay: TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<StripeUnavailableException>(() => quick.GetRequiredService<IStripeApi>().CreateIntentAsync(Request(customer), manualCapture: true, "effect-late", default));

        Assert.Single(_stripe.Requests, r => r.Path == "/v1/payment_intents");
    }

    [Fact]
    public async Task Stripe_out_of_reach_is_tried_the_bounded_number_of_times_then_unavailable()
    {
        using var dead = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dead.Start();
        var port = ((System.Net.IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop();
        // Each try is a dependency span; this test's are those in its own trace (other tests run alongside).
        using var test = new Activity(nameof(Stripe_out_of_reach_is_tried_the_bounded_number_of_times_then_unavailable)).Start();
        var tries = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Atlas.Functions.Telemetry.AtlasTelemetry.Source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a =>
            {
                if (a.TraceId == test.TraceId && a.DisplayName.StartsWith("Stripe ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref tries);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var services = Clients(new Uri($"http://127.0.0.1:{port}/"));

        var error = await Assert.ThrowsAsync<StripeUnavailableException>(() => services.GetRequiredService<IRetriedStripeApi>().CreateCustomerAsync("usr_1", "effect-down", default));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, tries);
    }

    [Fact]
    public async Task A_decline_is_a_typed_error_with_its_codes_the_request_id_and_the_intent()
    {
        var customer = await CustomerWithCardAsync("pm_card_chargeDeclinedInsufficientFunds");

        var result = await _client.CreateIntentAsync(Request(customer), manualCapture: true, "effect-decline", default);

        var error = result.Error!;
        Assert.Equal(402, error.Status);
        Assert.Equal("card_error", error.Type);
        Assert.Equal("card_declined", error.Code);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.StartsWith("req_", error.RequestId, StringComparison.Ordinal);
        Assert.Equal("requires_payment_method", error.Intent!.Status);
    }

    [Fact]
    public async Task A_capture_is_at_most_what_is_capturable_and_only_once()
    {
        var intent = await AuthoriseAsync("pm_card_visa", amount: 1_100);

        var tooMuch = await _client.CaptureAsync(intent.Id, 1_101, "cap-1", default);
        var captured = await _client.CaptureAsync(intent.Id, 1_000, "cap-2", default);
        var again = await _client.CaptureAsync(intent.Id, 1_000, "cap-3", default);

        Assert.Equal(("invalid_request_error", "amount_too_large", "amount_to_capture"), (tooMuch.Error!.Type, tooMuch.Error.Code, tooMuch.Error.Param));
        Assert.Equal(("succeeded", 1_000L, 0L), (captured.Value!.Status, captured.Value.AmountReceived, captured.Value.AmountCapturable));
        Assert.Equal("payment_intent_unexpected_state", again.Error!.Code);
    }

    [Fact]
    public async Task The_same_key_with_other_parameters_is_an_idempotency_error()
    {
        var intent = await AuthoriseAsync("pm_card_visa", amount: 1_100);
        await _client.CaptureAsync(intent.Id, 500, "cap-same", default);

        var other = await _client.CaptureAsync(intent.Id, 600, "cap-same", default);

        Assert.Equal("idempotency_error", other.Error!.Type);
    }

    [Fact]
    public async Task Refunds_and_transfer_reversals_can_be_partial_and_never_exceed_what_is_left()
    {
        var intent = await AuthoriseAsync("pm_card_visa", amount: 1_000);
        await _client.CaptureAsync(intent.Id, 1_000, "cap", default);
        var transfer = (await _client.TransferAsync(new TransferRequest(800, "GBP", "acct_driver1", "bk_1", new Dictionary<string, string>()), "tr-1", default)).Value!;

        Assert.True((await _client.RefundAsync(intent.Id, 400, "rf-1", default)).Succeeded);
        Assert.True((await _client.RefundAsync(intent.Id, 600, "rf-2", default)).Succeeded);
        Assert.Equal("charge_already_refunded", (await _client.RefundAsync(intent.Id, 1, "rf-3", default)).Error!.Code);
        Assert.True((await _client.ReverseTransferAsync(transfer.Id, 300, "rv-1", default)).Succeeded);
        Assert.Equal("amount_too_large", (await _client.ReverseTransferAsync(transfer.Id, 501, "rv-2", default)).Error!.Code);
        Assert.Equal(300, (await _client.GetTransferAsync(transfer.Id, default)).Value!.AmountReversed);
    }

    [Fact]
    public async Task An_uncaptured_intent_is_cancelled_and_a_cancelled_one_cannot_be_captured()
    {
        var intent = await AuthoriseAsync("pm_card_visa");

        var cancelled = await _client.CancelAsync(intent.Id, "abandoned", "cancel-1", default);
        var capture = await _client.CaptureAsync(intent.Id, 100, "cap-after-cancel", default);

        Assert.Equal("canceled", cancelled.Value!.Status);
        Assert.Equal("payment_intent_unexpected_state", capture.Error!.Code);
    }

    [Fact]
    public async Task An_authorisation_left_past_capture_before_is_cancelled_as_expired()
    {
        var intent = await AuthoriseAsync("pm_card_visa");
        _clock.Advance(TimeSpan.FromDays(7));

        var read = await _client.GetIntentAsync(intent.Id, default);

        Assert.Equal(("canceled", "expired"), (read.Value!.Status, read.Value.CancellationReason));
    }

    private async Task<PaymentIntent> AuthoriseAsync(string card, long amount = 1_100, string? key = null)
    {
        var customer = await CustomerWithCardAsync(card);
        var result = await _client.CreateIntentAsync(Request(customer, amount), manualCapture: true, key ?? Guid.NewGuid().ToString(), default);
        return result.Value ?? throw new InvalidOperationException(result.Error!.ToString());
    }

    private async Task<(string Customer, string Card)> CustomerWithCardAsync(string token)
    {
        var customer = (await _client.CreateCustomerAsync("usr_1", Guid.NewGuid().ToString(), default)).Value!.Id;
        var card = (await _client.AttachPaymentMethodAsync(token, customer, Guid.NewGuid().ToString(), default)).Value!.Id;
        return (customer, card);
    }

    /// <summary>The Stripe clients as the app registers them, on these settings.</summary>
    /// <param name="timeout">Each request's: long enough for a loaded machine, unless a test is about timeouts.</param>
    private static ServiceProvider Clients(Uri baseUrl, double timeout = 10) => new ServiceCollection()
        .AddLogging()
        .AddSingleton(Options.Create(new StripeOptions
        {
            BaseUrl = baseUrl,
            SecretKey = TestSettings.StripeKey,
            Timeout = TimeSpan.FromSeconds(timeout),
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxAttempts = 4,
        }))
        .AddStripeClients()
        .BuildServiceProvider();

    private static IntentRequest Request((string Customer, string Card) payer, long amount = 1_100) =>
        new(amount, "GBP", payer.Customer, payer.Card, "bk_1", new Dictionary<string, string> { ["ride_id"] = "rd_1", ["attempt"] = "1" });
}
