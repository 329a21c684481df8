using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Atlas.Core.Bookings;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Microsoft.DurableTask.Client;

namespace Atlas.Benchmarks;

/// <summary>
/// Complete rides through real HTTP: quote, booking, three blind bids, the window's close by the durable timer,
/// the award, and the ride run by its driver to completion. Each simulated rider has three simulated drivers, who
/// react to their push notices as the app would. The clock is the benchmark's: in rounds, every rider books and
/// every driver bids, then the clock moves past the 60 s window and the bench fires the windows' deadlines beside their
/// journeys (what the journeys' durable timers do on a real clock; Atlas.Testing/FollowedInstances), which closes them
/// all; the rides then run to completion while the clock stands still, each journey making its Stripe calls.
/// </summary>
public sealed partial class RideBench : IAsyncDisposable
{
    private static readonly object Pickup = new { lat = 51.5007, lng = -0.1246 };
    private static readonly object Dropoff = new { lat = 51.5194, lng = -0.1270 };

    private readonly BenchApp _bench;
    private readonly ManualClock _clock;
    private readonly DurableTaskClient _durable;
    private readonly List<Crew> _crews = [];
    private long _rounds;

    private RideBench(BenchApp bench, ManualClock clock)
    {
        _bench = bench;
        _clock = clock;
        _durable = bench.App.Host.CreateDurableClient();
    }

    public BenchApp Bench => _bench;

    public CallCounts Calls => _bench.Calls;

    /// <summary>The app's tables, read around the call counter: what the bench looks up itself is not the app's cost.</summary>
    private ITableStore Uncounted => ((CallCounts.Tables)_bench.App.Services.GetRequiredService<ITableStore>()).Inner;

    public Atlas.LocalHost.Durable.DurableActivitySnapshot Engine => _bench.Engine;

    public static async Task<RideBench> StartAsync(int crews)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var bench = await BenchApp.StartAsync(
            new Dictionary<string, string?>
            {
                // The clock jumps a minute a round: tokens, quotes and drivers' positions must outlast the run, and the
                // relay's safety net must not mistake the jump for a crash.
                ["Lifecycles:RelayGrace"] = "01:00:00",
                ["Auth:AccessTokenLifetime"] = "30.00:00:00",
                ["Bookings:LocationFreshFor"] = "30.00:00:00",

                // The engine polls as host.json has it in Azure, not as often as the tests make it.
                ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:01",
            },
            services => services.AddSingleton<TimeProvider>(clock),
            clock);
        var ride = new RideBench(bench, clock);
        await ride.HireAsync(crews);
        return ride;
    }

    /// <summary>Complete rides per second, and every POST /api/bookings latency in ms (sorted); at least
    /// <paramref name="rounds"/> rounds.</summary>
    public async Task<(double RidesPerSecond, long Rides, List<double> BookingLatencies)> RunAsync(TimeSpan duration, int rounds = 0)
    {
        var latencies = new ConcurrentBag<double>();
        var done = 0L;
        var watch = Stopwatch.StartNew();
        for (var round = 0; watch.Elapsed < duration || round < rounds; round++)
        {
            // Each round another of the crew's drivers wins, as a driver back from a ride would not be first to bid.
            var winner = (int)(_rounds++ % 3);
            var booked = await Task.WhenAll(_crews.Select(crew => BookAndBidAsync(crew, winner, latencies)));
            _clock.Advance(TimeSpan.FromSeconds(61));
            var rides = Task.WhenAll(_crews.Zip(booked, (crew, bookingId) => RideAsync(crew, crew.Drivers[winner], bookingId)));
            while (!rides.IsCompleted)
            {
                // Close this round's windows, as their journeys' timers would on a clock that moved (earlier rounds'
                // set-off, wait and renewal deadlines lie ahead of the clock, or their rides are over).
                await FollowedInstances.FireDueAsync(_bench.App.Services, _clock.GetUtcNow(), scan: Uncounted, only: [BookingDecider.Name]);
                await Task.WhenAny(rides, Task.Delay(TimeSpan.FromSeconds(1)));
            }

            await rides;
            done += _crews.Count;
        }

        return (done / watch.Elapsed.TotalSeconds, done, latencies.Order().ToList());
    }

    /// <summary>Waits until the engine has run no episode or activity for <paramref name="quietFor"/>: the journeys of
    /// the rides so far have done all they can before the clock moves (captured, released, ended), and the Stripe
    /// webhooks and ledger entries their calls led to with them. Returns how long it waited.</summary>
    public Task<TimeSpan> EngineQuietAsync(TimeSpan quietFor) => _bench.EngineQuietAsync(quietFor);

    /// <summary>Drives the clock past every timer the rides so far armed (the set-off and wait deadlines, a hold's
    /// renewal days ahead), a day at a time for <paramref name="days"/> days, waking each deadline as it falls due and
    /// waiting for the Stripe steps, until nothing is due or running: what a ride costs over its whole life, not only in
    /// its own minutes. Returns the orchestrations started since <paramref name="since"/> (engine time), by kind.</summary>
    public async Task<SortedDictionary<string, int>> LetEveryTimerFireAsync(DateTimeOffset since, int days)
    {
        for (var day = 0; day < days; day++)
        {
            _clock.Advance(TimeSpan.FromDays(1));

            // Quiet twice a second apart: a fired deadline's effect may start a Stripe step a queue hop later.
            for (var quiet = 0; quiet < 2;)
            {
                var busy = await FollowedInstances.FireDueAsync(_bench.App.Services, _clock.GetUtcNow(), scan: Uncounted)
                    + await FollowedInstances.SettleAsync(_bench.App.Services, _durable, scan: Uncounted);
                quiet = busy > 0 ? 0 : quiet + 1;
                await Task.Delay(TimeSpan.FromSeconds(busy > 0 ? 0 : 1));
            }
        }

        // By kind: the first part of the instance's id (a journey's is journey-…).
        var started = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var flow in _durable.GetAllInstancesAsync(new OrchestrationQuery { CreatedFrom = since, PageSize = 1000 }))
        {
            var kind = flow.InstanceId.Split('-')[0];
            started[kind] = started.GetValueOrDefault(kind) + 1;
        }

        return started;
    }

    /// <summary>POST /api/bookings started at a steady rate whatever the answers (an open loop: a slow answer cannot
    /// slow the load down), each from a fresh quote; returns the latency in ms of every booking started after
    /// <paramref name="warmUp"/>, sorted. The warm-up is the same load, unmeasured: the rides' rounds before it leave
    /// the engine seconds of work, and a steady rate is measured once the app has come to it.</summary>
    public async Task<List<double>> SteadyBookingsAsync(int perSecond, TimeSpan warmUp, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var running = new List<Task>();
        var clock = Stopwatch.StartNew();
        var n = 0;
        for (var next = TimeSpan.Zero; next < warmUp + duration; next += interval)
        {
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed);
            }

            var rider = _crews[n++ % _crews.Count].Rider;
            var measured = next >= warmUp;
            running.Add(Task.Run(async () =>
            {
                var quote = await _bench.JsonAsync(HttpMethod.Post, "/api/quotes", rider, new { pickup = Pickup, dropoff = Dropoff, vehicleType = "car" });
                var watch = Stopwatch.StartNew();
                await _bench.JsonAsync(HttpMethod.Post, "/api/bookings", rider, new { quoteId = quote.GetProperty("quoteId").GetString() }, Guid.NewGuid().ToString());
                if (measured)
                {
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                }
            }));
        }

        await Task.WhenAll(running);
        return latencies.Order().ToList();
    }

    private async Task<string> BookAndBidAsync(Crew crew, int winner, ConcurrentBag<double> latencies)
    {
        var quote = await _bench.JsonAsync(HttpMethod.Post, "/api/quotes", crew.Rider, new { pickup = Pickup, dropoff = Dropoff, vehicleType = "car" });
        var watch = Stopwatch.StartNew();
        var booking = await _bench.JsonAsync(HttpMethod.Post, "/api/bookings", crew.Rider, new { quoteId = quote.GetProperty("quoteId").GetString() }, Guid.NewGuid().ToString());
        latencies.Add(watch.Elapsed.TotalMilliseconds);
        var bookingId = booking.GetProperty("id").GetString()!;
        var total = booking.GetProperty("quote").GetProperty("total").GetInt64();

        // This round's winner bids lowest; a driver still finishing the last ride is told they are busy and skips it.
        await Task.WhenAll(crew.Drivers.Select((driver, i) => BidAsync(driver, bookingId, total - (i == winner ? 100 : 50 - (i * 10)))));
        return bookingId;
    }

    private async Task RideAsync(Crew crew, BenchUser winner, string bookingId)
    {
        // Each side's app opens the ride from its notice; the rider's shows the start code, read it to the driver.
        var won = await _bench.Push.Expect(winner.UserId, "bid.won", bookingId).WaitAsync(TimeSpan.FromSeconds(60));
        var assigned = await _bench.Push.Expect(crew.Rider.UserId, "booking.assigned", bookingId).WaitAsync(TimeSpan.FromSeconds(60));
        var code = (await _bench.JsonAsync(HttpMethod.Get, $"/api/rides/{assigned.RideId}", crew.Rider)).GetProperty("startCode").GetString();
        var rideId = won.RideId;
        await _bench.JsonAsync(HttpMethod.Post, $"/api/rides/{rideId}/set-off", winner);
        await _bench.JsonAsync(HttpMethod.Post, $"/api/rides/{rideId}/arrive", winner);
        await _bench.JsonAsync(HttpMethod.Post, $"/api/rides/{rideId}/start", winner, new { code });
        await _bench.JsonAsync(HttpMethod.Post, $"/api/rides/{rideId}/complete", winner);
    }

    private async Task BidAsync(BenchUser driver, string bookingId, long amount)
    {
        using var response = await _bench.SendAsync(HttpMethod.Post, $"/api/bookings/{bookingId}/bids", driver.Token, new { amount });
        var body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode && !(response.StatusCode == HttpStatusCode.Conflict && body.Contains("driver-busy", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Bid refused: {(int)response.StatusCode} {body}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _durable.DisposeAsync();
        await _bench.DisposeAsync();
    }
}
