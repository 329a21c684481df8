using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Atlas.Testing;

namespace Atlas.Benchmarks;

/// <summary>
/// Sign-ins through real HTTP on loopback: the whole app (Kestrel, its queue pollers and timers) on Azurite. A
/// sign-in is POST /auth/otp, the SMS carried through the notifications queue, POST /auth/otp/verify.
/// </summary>
public sealed class SignInBench(BenchApp bench) : IAsyncDisposable
{
    private int _phones = Random.Shared.Next(10_000_000);

    public static async Task<SignInBench> StartAsync() => new(await BenchApp.StartAsync());

    public CallCounts Calls => bench.Calls;

    public Atlas.LocalHost.Durable.DurableActivitySnapshot Engine => bench.App.Host.DurableActivity!;

    /// <summary>Sign-ins completed per second with <paramref name="inFlight"/> phones signing in at once.</summary>
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
        var texted = bench.Sms.Expect(phone);

        var watch = Stopwatch.StartNew();
        using var started = await bench.Client.PostAsJsonAsync("/api/auth/otp", new { phone });
        latencies?.Add(watch.Elapsed.TotalMilliseconds);
        started.EnsureSuccessStatusCode();
        var challengeId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString();

        var code = SmsCodes.In(await texted.WaitAsync(TimeSpan.FromSeconds(30)));
        watch.Restart();
        using var verified = await bench.Client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId, code });
        latencies?.Add(watch.Elapsed.TotalMilliseconds);
        verified.EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync() => bench.DisposeAsync();
}
