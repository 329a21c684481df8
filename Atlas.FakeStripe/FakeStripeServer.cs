using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Atlas.FakeStripe;

/// <summary>
/// Stripe's HTTP API on loopback, for the endpoints Atlas uses: bearer auth, form bodies, idempotency keys (the first
/// result is replayed; the same key with other parameters is an error), injectable 429/5xx/slow answers, every request
/// kept for tests to inspect, and webhook events posted, signed, to a configured URL. Test hooks live under /_fake.
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    /// <summary>The API version the fake's objects are shaped for: Stripe.net 53's pinned version.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Replay> _replays = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private static readonly object SlowBy = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly HttpClient _webhooks = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly FakeStripeStore? _store;

    private FakeStripeServer(WebApplication app, FakeStripeOptions options, StripeState state)
    {
        _app = app;
        Options = options;
        State = state;
        state.OnEvent = DeliverAsync;
        state.EventApiVersion = options.EventApiVersion;
        if (options.DataFolder is { } folder)
        {
            _store = new FakeStripeStore(folder);
            Restore(_store.Load());
        }
    }

    public FakeStripeOptions Options { get; }

    public StripeState State { get; }

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Every API request received (test hooks excluded), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Where events go; null keeps them only in <see cref="StripeState.Events"/>.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Off: events are made and listed (<c>GET /v1/events</c>) but not posted, as when an endpoint is down, its
    /// secret wrong or deliveries are lost. <c>POST /_fake/webhooks?deliver=false</c> turns it off in `./atlas run`.</summary>
    public bool DeliverWebhooks { get; set; } = true;

    /// <summary>Where events go when the address is only known later (an app on a port picked at start).</summary>
    public Func<string?>? WebhookTarget { get; set; }

    public static async Task<FakeStripeServer> StartAsync(FakeStripeOptions options, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeStripeServer(app, options, new StripeState(clock ?? TimeProvider.System)) { WebhookUrl = options.WebhookUrl };
        server.Map(app);
        await app.StartAsync();
        return server;
    }

    /// <summary>The next <paramref name="count"/> API requests (to paths starting with <paramref name="path"/>) fail with
    /// <paramref name="status"/> before they do anything; status 0 means they are carried out but answered too late,
    /// or with <paramref name="slow"/> take <paramref name="delay"/> to carry out (their key in use all that time). A
    /// failure says Retry-After <paramref name="retryAfter"/> (whole seconds, 0 unless told).</summary>
    public void Inject(int status, int count = 1, string path = "/v1/", TimeSpan? delay = null, bool slow = false, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(status, path, delay ?? TimeSpan.FromSeconds(5), slow, retryAfter ?? TimeSpan.Zero));
        }
    }

    public void ClearFaults() => _faults.Clear();

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _webhooks.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.Use(GuardAsync);
        app.MapPost("/v1/customers", (HttpContext c) => Handle(c, State.CreateCustomerAsync));
        app.MapDelete("/v1/customers/{id}", (HttpContext c, string id) => Hook(c, () => State.DeleteCustomerAsync(id)));
        app.MapPost("/v1/payment_methods/{id}/attach", (HttpContext c, string id) => Handle(c, form => State.AttachAsync(id, form)));
        app.MapPost("/v1/payment_intents", (HttpContext c) => Handle(c, State.CreateIntentAsync));
        app.MapPost("/v1/payment_intents/{id}/confirm", (HttpContext c, string id) => Handle(c, _ => State.ConfirmIntentAsync(id)));
        app.MapPost("/v1/payment_intents/{id}/capture", (HttpContext c, string id) => Handle(c, form => State.CaptureAsync(id, form)));
        app.MapPost("/v1/payment_intents/{id}/cancel", (HttpContext c, string id) => Handle(c, form => State.CancelAsync(id, form)));
        app.MapPost("/v1/refunds", (HttpContext c) => Handle(c, State.RefundAsync));
        app.MapPost("/v1/transfers", (HttpContext c) => Handle(c, State.TransferAsync));
        app.MapPost("/v1/transfers/{id}/reversals", (HttpContext c, string id) => Handle(c, form => State.ReverseAsync(id, form)));
        app.MapGet("/v1/events", (HttpContext c) => List(c, State.ListEvents));
        foreach (var (path, type) in new[] { ("customers", "customer"), ("payment_intents", "payment_intent"), ("transfers", "transfer"), ("events", "event"), ("charges", "charge"), ("disputes", "dispute") })
        {
            app.MapGet($"/v1/{path}/{{id}}", (HttpContext c, string id) => Retrieve(c, id, type));
        }

        app.MapPost("/_fake/payment_intents/{id}/authenticate", (HttpContext c, string id, bool? fail) => Hook(c, () => State.AuthenticateAsync(id, fail != true)));
        app.MapPost("/_fake/payment_intents/{id}/expire", (HttpContext c, string id) => Hook(c, () => State.ExpireAsync(id)));
        app.MapPost("/_fake/payment_intents/{id}/dispute", (HttpContext c, string id) => Hook(c, () => State.DisputeAsync(id)));
        app.MapPost("/_fake/disputes/{id}/close", (HttpContext c, string id, string outcome) => Hook(c, () => State.CloseDisputeAsync(id, outcome == "won")));
        app.MapGet("/_fake/events", () => Results.Json(State.Events));
        app.MapPost("/_fake/webhooks", (bool deliver) =>
        {
            DeliverWebhooks = deliver;
            return Results.Json(new { deliver });
        });
    }

    /// <summary>Auth, the request log and injected faults, before any API endpoint runs.</summary>
    private async Task GuardAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/v1"))
        {
            await next();
            return;
        }

        request.EnableBuffering();
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        request.Body.Position = 0;
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path.Value!,
            body,
            request.Headers.Authorization.ToString(),
            request.Headers["Stripe-Version"].ToString() is { Length: > 0 } version ? version : null,
            request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null,
            request.ContentType,
            request.QueryString.Value?.TrimStart('?') ?? ""));

        if (request.Headers.Authorization.ToString() != $"Bearer {Options.ApiKey}")
        {
            await WriteAsync(context, 401, new StripeError(401, "invalid_request_error", "Invalid API Key provided.").ToJson());
            return;
        }

        if (_faults.TryPeek(out var fault) && request.Path.StartsWithSegments(fault.Path.TrimEnd('/')) && _faults.TryDequeue(out fault))
        {
            if (fault.Status != 0)
            {
                context.Response.Headers["Retry-After"] = ((int)fault.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var type = fault.Status == 429 ? "invalid_request_error" : "api_error";
                await WriteAsync(context, fault.Status, new StripeError(fault.Status, type, "Injected failure.", fault.Status == 429 ? "rate_limit" : null).ToJson());
                return;
            }

            if (fault.Slow)
            {
                context.Items[SlowBy] = fault.Delay;
                await next();
                return;
            }

            // Carried out, then answered too late: the client gives up and must retry with the same key.
            await next();
            await Task.Delay(fault.Delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        await next();
    }

    private async Task Handle(HttpContext context, Func<Form, Task<JsonObject>> action)
    {
        var form = new Form((await context.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal));
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 255)
        {
            await WriteAsync(context, 400, StripeError.Invalid("Idempotency keys are at most 255 characters.").ToJson());
            return;
        }

        var fingerprint = context.Request.Path + "?" + form.Fingerprint;
        if (key.Length > 0 && _replays.TryGetValue(key, out var earlier))
        {
            if (earlier.Fingerprint != fingerprint)
            {
                await WriteAsync(context, 400, new StripeError(
                    400, "idempotency_error", $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}'.").ToJson());
                return;
            }

            context.Response.Headers["Idempotent-Replayed"] = "true";
            await WriteAsync(context, earlier.Status, earlier.Body);
            return;
        }

        // As Stripe does: a second request with a key whose first is still being carried out is refused, not run.
        if (key.Length > 0 && !_inFlight.TryAdd(key, 0))
        {
            await WriteAsync(context, 409, new StripeError(
                409, "idempotency_error", "There is currently another in-progress request using this Stripe API key (or connected account) and idempotency key.", "idempotency_key_in_use").ToJson());
            return;
        }

        try
        {
            if (context.Items[SlowBy] is TimeSpan slow)
            {
                await Task.Delay(slow);
            }

            var (status, body) = await RunAsync(() => action(form));
            body = status == 200 ? Expanded(body, form.Array("expand")) : body;
            if (key.Length > 0)
            {
                _replays.TryAdd(key, new Replay(fingerprint, status, body));
            }

            Save();
            await WriteAsync(context, status, body);
        }
        finally
        {
            if (key.Length > 0)
            {
                _inFlight.TryRemove(key, out _);
            }
        }
    }

    private async Task Retrieve(HttpContext context, string id, string type)
    {
        var found = State.Find(id) is { } obj && (string?)obj["object"] == type ? obj : null;
        var expand = new Form(context.Request.Query.ToDictionary(p => p.Key, p => p.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal)).Array("expand");
        await (found is null
            ? WriteAsync(context, 404, StripeError.Missing(type, id).ToJson())
            : WriteAsync(context, 200, Expanded(found, expand)));
    }

    private async Task List(HttpContext context, Func<Form, JsonObject> list)
    {
        var query = new Form(context.Request.Query.ToDictionary(p => p.Key, p => p.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal));
        var (status, body) = await RunAsync(() => Task.FromResult(list(query)));
        await WriteAsync(context, status, body);
    }

    /// <summary>A request without a form or an idempotency key (a DELETE, a test hook): carried out and answered.</summary>
    private async Task Hook(HttpContext context, Func<Task<JsonObject>> action)
    {
        var (status, body) = await RunAsync(action);
        Save();
        await WriteAsync(context, status, body);
    }

    private void Save()
    {
        if (_store is null)
        {
            return;
        }

        var state = State.Snapshot();
        state["replays"] = new JsonObject(_replays.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject
        {
            ["fingerprint"] = p.Value.Fingerprint,
            ["status"] = p.Value.Status,
            ["body"] = p.Value.Body.DeepClone(),
        })));
        _store.Save(state);
    }

    private void Restore(JsonObject? state)
    {
        if (state is null)
        {
            return;
        }

        State.Restore(state);
        foreach (var (key, replay) in state["replays"]?.AsObject() ?? [])
        {
            _replays[key] = new Replay((string)replay!["fingerprint"]!, (int)replay["status"]!, replay["body"]!.AsObject().DeepClone().AsObject());
        }
    }

    private static async Task<(int Status, JsonObject Body)> RunAsync(Func<Task<JsonObject>> action)
    {
        try
        {
            return (200, await action());
        }
        catch (StripeError error)
        {
            return (error.Status, error.ToJson());
        }
    }

    /// <summary>Replaces an id field with the object it names, as <c>expand[]=latest_charge</c> asks.</summary>
    private JsonObject Expanded(JsonObject obj, string[] expand)
    {
        foreach (var field in expand)
        {
            if (obj[field] is JsonValue value && value.TryGetValue<string>(out var id) && State.Find(id) is { } inner)
            {
                obj[field] = inner;
            }
        }

        return obj;
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["Request-Id"] = "req_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(7)).ToLowerInvariant();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>Posts an event the way Stripe does: the raw JSON, signed over "t.body" with the endpoint secret.</summary>
    private async Task DeliverAsync(JsonObject e)
    {
        if (!DeliverWebhooks || (WebhookUrl ?? WebhookTarget?.Invoke()) is not { } url)
        {
            return;
        }

        var body = e.ToJsonString();
        var signature = Sign(body, Options.WebhookSecret, State.Clock.GetUtcNow().ToUnixTimeSeconds());
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add("Stripe-Signature", signature);
        try
        {
            using var response = await _webhooks.PostAsync(url, content);
        }
        catch (HttpRequestException)
        {
            // Like Stripe, a failed delivery is not the API caller's problem.
        }
    }

    /// <summary>The Stripe-Signature header for <paramref name="body"/> at unix time <paramref name="timestamp"/>.</summary>
    public static string Sign(string body, string secret, long timestamp)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexString(mac).ToLowerInvariant()}";
    }

    private sealed record Replay(string Fingerprint, int Status, JsonObject Body);

    private sealed record Fault(int Status, string Path, TimeSpan Delay, bool Slow, TimeSpan RetryAfter);
}

/// <param name="Port">0 picks a free port.</param>
/// <param name="DataFolder">Where the state is kept across restarts; none keeps it in memory only.</param>
/// <param name="EventApiVersion">The API version events are rendered in (the account's, in Stripe's terms).</param>
public sealed record FakeStripeOptions(
    int Port = 0,
    string ApiKey = "sk_test_atlas_fake",
    string WebhookSecret = "whsec_atlas_fake",
    string? WebhookUrl = null,
    string? DataFolder = null,
    string EventApiVersion = FakeStripeServer.ApiVersion);

public sealed record RecordedRequest(
    string Method, string Path, string Body, string Authorization, string? StripeVersion, string? IdempotencyKey, string? ContentType, string Query);
