using System.Diagnostics;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Atlas.FakeStripe;
using Atlas.Functions.Integration;
using Atlas.Functions.Notifications;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Testing;

namespace Atlas.Benchmarks;

/// <summary>
/// The whole app as Azure runs it (the worker under the local Functions host, its queue triggers and timers running)
/// on Azurite, with storage calls counted and the outside world replaced by inboxes the load generator waits on:
/// texts by phone, push notices by user, business events taken in by their subscribers.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{

    private BenchApp(string prefix, LocalApp app, HttpClient client, SmsInbox sms, PushInbox push, FakeStripeServer stripe)
    {
        Prefix = prefix;
        App = app;
        Client = client;
        Sms = sms;
        Push = push;
        Stripe = stripe;
    }

    public LocalApp App { get; }

    /// <summary>What the app's tables and queues are named with (its task hub's too, after "atlas").</summary>
    public string Prefix { get; }

    public HttpClient Client { get; }

    public SmsInbox Sms { get; }

    public PushInbox Push { get; }

    /// <summary>The app's Stripe, posting its webhooks back to the app as Stripe would.</summary>
    public FakeStripeServer Stripe { get; }

    public CallCounts Calls => App.Services.GetRequiredService<CallCounts>();

    /// <summary>host.json's <c>extensions.durableTask</c> values for every app the run starts (<c>--durable
    /// storageProvider:partitionCount=1,…</c>), over the benchmark's own.</summary>
    public static IReadOnlyDictionary<string, string> DurableTask { get; set; } = new Dictionary<string, string>();

    /// <param name="runTriggers">Whether the host polls the queues and fires the timers itself (as in Azure), or the
    /// benchmark runs them.</param>
    public static async Task<BenchApp> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, TimeProvider? clock = null, bool runTriggers = true)
    {
        var stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions(), clock);
        var sms = new SmsInbox();
        var push = new PushInbox();
        var counts = new CallCounts();
        var prefix = Azurite.NewPrefix();
        var configured = TestSettings.For(prefix)
            .Concat(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Stripe:BaseUrl"] = stripe.BaseUrl.ToString(),
                ["Stripe:Timeout"] = "00:00:20",
            })
            .Concat(settings ?? new Dictionary<string, string?>())
            .Concat(DurableTask.Select(setting => KeyValuePair.Create($"AzureFunctionsJobHost:extensions:durableTask:{setting.Key}", (string?)setting.Value)));
        // Development: outside it the app refuses to run on the fake Stripe and the recorders (DevelopmentParts). The
        // bench puts its own senders in anyway.
        var app = await LocalApp.StartAsync(
            configured,
            "Development",
            s =>
            {
                s.AddSingleton<ISmsSender>(sms);
                s.AddSingleton<IPushSender>(push);

                // Business events leave for other systems, like texts and push notices: the bench counts them, no more.
                s.AddSingleton<IIntegrationEvents>(new Subscribers());
                s.AddSingleton(counts);
                s.Decorate<ITableStore>((inner, sp) => new CallCounts.Tables(inner, counts));
                s.Decorate<IQueueClient>((inner, sp) => new CallCounts.Queues(inner, counts));
                if (clock is not null)
                {
                    s.AddSingleton(clock);
                }

                services?.Invoke(s);
            },
            runTriggers);

        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = app.BaseAddress };
        stripe.WebhookUrl = new Uri(app.BaseAddress, "api/webhooks/stripe").ToString();
        return new BenchApp(prefix, app, client, sms, push, stripe);
    }

    /// <summary>What the app's Durable engine has done so far: episodes, activities, storage calls by kind.</summary>
    public Atlas.LocalHost.Durable.DurableActivitySnapshot Engine => App.Host.DurableActivity!;

    /// <summary>Waits until the engine has run no episode or activity for <paramref name="quietFor"/>. Returns how long
    /// it waited before that quiet stretch began.</summary>
    public async Task<TimeSpan> EngineQuietAsync(TimeSpan quietFor)
    {
        var waited = Stopwatch.StartNew();
        var (seen, quietSince) = (Work(Engine), waited.Elapsed);
        while (waited.Elapsed - quietSince < quietFor)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            if (Work(Engine) is var now && now != seen)
            {
                (seen, quietSince) = (now, waited.Elapsed);
            }
        }

        return quietSince;

        static long Work(Atlas.LocalHost.Durable.DurableActivitySnapshot engine) => engine.Episodes + engine.Activities;
    }

    /// <summary>
    /// Deletes the app's tables, queues and blob containers, its task hub's with them, once it has stopped. Azurite's
    /// cost grows with all it holds, not only with the tables and queues a call names: after an app of its own had
    /// warmed the JIT compiler with 4 rounds of rides, the measured app's rides cost Azurite 323 ms of CPU each, against
    /// 215–240 on a fresh Azurite.
    /// </summary>
    public async Task DropStorageAsync()
    {
        var names = (Func<string, bool>)(name => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith("atlas" + Prefix, StringComparison.OrdinalIgnoreCase));
        var tables = new Azure.Data.Tables.TableServiceClient(Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            if (names(table.Name))
            {
                await tables.DeleteTableAsync(table.Name);
            }
        }

        var queues = new Azure.Storage.Queues.QueueServiceClient(Azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            if (names(queue.Name))
            {
                await queues.DeleteQueueAsync(queue.Name);
            }
        }

        var blobs = new Azure.Storage.Blobs.BlobServiceClient(Azurite.ConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            if (names(container.Name))
            {
                await blobs.DeleteBlobContainerAsync(container.Name);
            }
        }
    }

    /// <summary>Signs a phone in the way the app does (code by SMS); returns the session's JSON.</summary>
    public async Task<JsonElement> SignInAsync(string phone)
    {
        var texted = Sms.Expect(phone);
        using var started = await Client.PostAsJsonAsync("/api/auth/otp", new { phone });
        await SucceededAsync(started, "POST /api/auth/otp", phone);
        var challengeId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString();
        var code = SmsCodes.In(await texted.WaitAsync(TimeSpan.FromSeconds(30)));
        using var verified = await Client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId, code });
        await SucceededAsync(verified, "POST /api/auth/otp/verify", phone);
        return await verified.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Signs a phone in (<see cref="SignInAsync"/>) and keeps who it is.</summary>
    public async Task<BenchUser> SignInUserAsync(string phone)
    {
        var session = await SignInAsync(phone);
        return new BenchUser(session.GetProperty("user").GetProperty("id").GetString()!, session.GetProperty("accessToken").GetString()!);
    }

    /// <summary>A request as <paramref name="caller"/> that must succeed; its answer's JSON (a failure stops the
    /// benchmark with its status and body).</summary>
    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, BenchUser caller, object? body = null, string? idempotencyKey = null)
    {
        using var response = await SendAsync(method, path, caller.Token, body, idempotencyKey);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>A refused sign-in stops the benchmark saying why (the problem's body), not only its status.</summary>
    private static async Task SucceededAsync(HttpResponseMessage response, string request, string phone)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{request} for {phone}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A request with a caller's bearer token.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>The systems subscribed to business events (a Service Bus topic in Azure): they take them in.</summary>
    public sealed class Subscribers : IIntegrationEvents
    {
        private long _received;

        public long Received => Interlocked.Read(ref _received);

        public Task PublishAsync(IReadOnlyList<IntegrationMessage> messages, CancellationToken ct)
        {
            Interlocked.Add(ref _received, messages.Count);
            return Task.CompletedTask;
        }
    }

    /// <summary>The SMS provider: hands each text to whoever waits for that phone.</summary>
    public sealed class SmsInbox : ISmsSender
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new();

        public Task<string> Expect(string phone) =>
            _waiting.GetOrAdd(phone, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public Task SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct)
        {
            if (_waiting.TryRemove(message.To, out var waiter))
            {
                waiter.TrySetResult(message.Body);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>The push provider: a simulated app waits for a notice (user, topic, booking), before or after it comes.</summary>
    public sealed class PushInbox : IPushSender
    {
        private readonly ConcurrentDictionary<(string, string, string), TaskCompletionSource<PushMessage>> _notices = new();

        /// <summary>The notice of <paramref name="topic"/> about a booking for a user, when it comes.</summary>
        public Task<PushMessage> Expect(string userId, string topic, string bookingId) => Slot(userId, topic, bookingId).Task;

        public Task SendAsync(PushMessage message, string idempotencyKey, CancellationToken ct)
        {
            // Only what a simulated app waits for is kept.
            if (message.Topic is "bid.won" or "booking.assigned")
            {
                Slot(message.UserId, message.Topic, message.BookingId).TrySetResult(message);
            }

            return Task.CompletedTask;
        }

        private TaskCompletionSource<PushMessage> Slot(string userId, string topic, string bookingId) =>
            _notices.GetOrAdd((userId, topic, bookingId), _ => new TaskCompletionSource<PushMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
