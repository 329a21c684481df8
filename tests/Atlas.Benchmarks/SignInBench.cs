using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Atlas.Functions.Hosting;
using Atlas.Functions.Notifications;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Atlas.Benchmarks;

/// <summary>
/// Sign-ins through real HTTP on loopback: the whole app (Kestrel, its queue pollers and timers) on Azurite. A
/// sign-in is POST /auth/otp, the SMS carried through the notifications queue, POST /auth/otp/verify.
/// </summary>
public sealed class SignInBench : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly Inbox _inbox;
    private int _phones = Random.Shared.Next(10_000_000);

    private SignInBench(WebApplication app, HttpClient client, Inbox inbox)
    {
        _app = app;
        _client = client;
        _inbox = inbox;
    }

    public static async Task<SignInBench> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(Azurite.NewPrefix()));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Hosting:RunTriggers"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddAtlas();
        var inbox = new Inbox();
        builder.Services.AddSingleton<ISmsSender>(inbox);
        var counts = new CallCounts();
        builder.Services.AddSingleton(counts);
        builder.Services.Decorate<ITableStore>((inner, sp) => new CallCounts.Tables(inner, counts));
        builder.Services.Decorate<IQueueClient>((inner, sp) => new CallCounts.Queues(inner, counts));
        var app = builder.Build();
        app.UseAtlas();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(address) };
        return new SignInBench(app, client, inbox);
    }

    /// <summary>Sign-ins completed per second with <paramref name="inFlight"/> phones signing in at once.</summary>
    public CallCounts Calls => _app.Services.GetRequiredService<CallCounts>();

    public Task<double> ThroughputAsync(int inFlight, TimeSpan duration) =>
        Measure.ThroughputAsync(inFlight, duration, _ => SignInAsync(null));

    /// <summary>Starts a sign-in every 1/(rps/2) s whatever the answers (an open loop, so a slow answer cannot
    /// slow the load down); each sign-in is two requests. Returns every request's latency in ms, sorted.</summary>
    public async Task<List<double>> SteadyAsync(int requestsPerSecond, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var interval = TimeSpan.FromSeconds(2.0 / requestsPerSecond);
        var running = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var next = TimeSpan.Zero; next < duration; next += interval)
        {
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed);
            }

            running.Add(SignInAsync(latencies));
        }

        await Task.WhenAll(running);
        return latencies.Order().ToList();
    }

    private async Task SignInAsync(ConcurrentBag<double>? latencies)
    {
        var phone = $"+1444{Interlocked.Increment(ref _phones) % 10_000_000:D7}";
        var texted = _inbox.Expect(phone);

        var watch = Stopwatch.StartNew();
        using var started = await _client.PostAsJsonAsync("/api/auth/otp", new { phone });
        latencies?.Add(watch.Elapsed.TotalMilliseconds);
        started.EnsureSuccessStatusCode();
        var challengeId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString();

        var code = SmsCodes.In(await texted.WaitAsync(TimeSpan.FromSeconds(30)));
        watch.Restart();
        using var verified = await _client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId, code });
        latencies?.Add(watch.Elapsed.TotalMilliseconds);
        verified.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The SMS provider for the benchmark: hands each text to whoever waits for that phone.</summary>
    private sealed class Inbox : ISmsSender
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
}
