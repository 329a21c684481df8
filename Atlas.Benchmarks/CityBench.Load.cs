using System.Net;
using System.Text.Json;
using Atlas.Functions.Notifications;

namespace Atlas.Benchmarks;

/// <summary>A city's load, open loop: every request on its schedule whatever the answers (a late answer does not delay
/// the next send). Drivers post their position every 5 s, polling riders read their ride every 3 s, each spread evenly
/// over the period; bookings arrive at a steady rate, each with its bids, its award and its ride.</summary>
public sealed partial class CityBench
{
    public static readonly TimeSpan PositionEvery = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(3);

    private const int Bidders = 3;
    private const double BidderRadiusKm = 8;
    private static readonly TimeSpan AwardPatience = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Rest = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(3);

    /// <summary>Runs the load for <paramref name="leadIn"/> (not counted: the first windows close, rides get going), then
    /// for <paramref name="measured"/>, then waits for what was sent (rides run to their end) before the next run.</summary>
    public async Task<CityFigures> RunAsync(double bookingsPerSecond, TimeSpan leadIn, TimeSpan measured)
    {
        var start = _uptime.Elapsed + TimeSpan.FromMilliseconds(100);
        var (from, end) = (start + leadIn, start + leadIn + measured);
        var log = new RequestLog(_uptime, from, end);
        var drivers = _drivers.ToArray();
        var pollers = _pollers.ToArray();
        var bookers = _bookers.ToArray();

        var streams = new[]
        {
            OpenLoopAsync(start, end, PositionEvery / drivers.Length, (k, due) =>
                CallAsync(log, "POST /api/drivers/me/location", due, HttpMethod.Post, "/api/drivers/me/location", drivers[k % drivers.Length].Member, drivers[k % drivers.Length].Position())),
            pollers.Length == 0 ? Task.FromResult(new List<Task>()) : OpenLoopAsync(start, end, PollEvery / pollers.Length, (k, due) =>
                CallAsync(log, "GET /api/rides/{id}", due, HttpMethod.Get, $"/api/rides/{pollers[k % pollers.Length].RideId}", pollers[k % pollers.Length].Rider)),
            bookingsPerSecond <= 0 ? Task.FromResult(new List<Task>()) : OpenLoopAsync(start, end, TimeSpan.FromSeconds(1 / bookingsPerSecond), (k, due) =>
                BookAsync(bookers[k % bookers.Length], log, setOffOnly: false, due)),
        };

        // CPU and storage calls over the measured window only.
        await DelayUntil(from);
        var opened = DateTimeOffset.UtcNow;
        var cpu = CpuTime.Now();
        var machine = MachineCpu.Now();
        var engine = Engine;
        Calls.Reset();
        await DelayUntil(end);
        var used = cpu.Since();
        var machineBusy = MachineCpu.Now().CoresBusySince(machine);
        var appCalls = Calls.Total;
        var callsPerRequest = Calls.PerOperation(Math.Max(1, log.Sent));
        var engineCalls = Engine.TotalStorageCalls - engine.TotalStorageCalls;

        var sent = (await Task.WhenAll(streams)).SelectMany(s => s).ToList();
        var unfinished = 0;
        try
        {
            await Task.WhenAll(sent).WaitAsync(Drain);
        }
        catch (TimeoutException)
        {
            unfinished = sent.Count(t => !t.IsCompleted);
        }

        return new CityFigures(log.Figures().ToList(), log.Sent, measured, used, machineBusy, appCalls, callsPerRequest, engineCalls, log.AwardLags, log.Unserved, unfinished, log.SlowBursts(), opened);
    }

    private async Task<List<Task>> OpenLoopAsync(TimeSpan start, TimeSpan end, TimeSpan interval, Func<int, TimeSpan, Task> send)
    {
        var sent = new List<Task>();
        for (var k = 0; ; k++)
        {
            var due = start + TimeSpan.FromTicks(interval.Ticks * k);
            if (due >= end)
            {
                return sent;
            }

            await DelayUntil(due);
            sent.Add(send(k, due));
        }
    }

    private async Task DelayUntil(TimeSpan due)
    {
        var wait = due - _uptime.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>A rider books (a fresh quote, then the booking) and up to three free drivers near the pickup bid, the
    /// first lowest; when the window closes on its timer the first wins, reads nothing but the notice, and drives the
    /// ride to its end with the start code the rider's app shows (or, for a polling rider, only sets off). Returns the
    /// ride's id, or null when a step failed (logged).</summary>
    private async Task<string?> BookAsync(BenchUser rider, RequestLog log, bool setOffOnly, TimeSpan? due = null)
    {
        var booked = due ?? log.Now;
        var lat = CenterLat + ((Random.Shared.NextDouble() - 0.5) * 0.2);
        var lng = CenterLng + ((Random.Shared.NextDouble() - 0.5) * 0.3);
        var trip = new { pickup = new { lat, lng }, dropoff = new { lat = lat + 0.02, lng = lng + 0.01 }, vehicleType = "car" };
        if (await CallAsync(log, "POST /api/quotes", booked, HttpMethod.Post, "/api/quotes", rider, trip) is not { } quote
            || await CallAsync(log, "POST /api/bookings", log.Now, HttpMethod.Post, "/api/bookings", rider, new { quoteId = quote.GetProperty("quoteId").GetString() }, Guid.NewGuid().ToString()) is not { } booking)
        {
            return null;
        }

        var bookingId = booking.GetProperty("id").GetString()!;
        var total = booking.GetProperty("quote").GetProperty("total").GetInt64();
        var bidders = TakeBidders(lat, lng, setOffOnly ? 1 : Bidders);
        if (bidders.Count == 0)
        {
            log.NoBidder(booked);
            return null;
        }

        var bids = await Task.WhenAll(bidders.Select((driver, i) =>
            CallAsync(log, "POST /api/bookings/{id}/bids", log.Now, HttpMethod.Post, $"/api/bookings/{bookingId}/bids", driver.Member, new { amount = total - (i == 0 ? 100 : 50 - (i * 10)) })));
        foreach (var loser in bidders.Skip(1))
        {
            loser.Free();
        }

        CityDriver? winner = bidders[0];
        try
        {
            if (bids[0] is not { } bid)
            {
                return null;
            }

            var closesAt = bid.GetProperty("closesAt").GetDateTimeOffset();
            PushMessage won, assigned;
            try
            {
                won = await _bench.Push.Expect(winner.Member.UserId, "bid.won", bookingId).WaitAsync(AwardPatience);
                assigned = await _bench.Push.Expect(rider.UserId, "booking.assigned", bookingId).WaitAsync(AwardPatience);
            }
            catch (TimeoutException timeout)
            {
                log.Failed("award (the window's close → winner and rider told)", booked, timeout);
                return null;
            }

            log.Awarded(booked, DateTimeOffset.UtcNow - closesAt);
            var rideId = won.RideId!;
            if (await CallAsync(log, "GET /api/rides/{id}", log.Now, HttpMethod.Get, $"/api/rides/{assigned.RideId}", rider) is not { } ride
                || await CallAsync(log, "POST /api/rides/{id}/set-off", log.Now, HttpMethod.Post, $"/api/rides/{rideId}/set-off", winner.Member) is null)
            {
                return null;
            }

            if (setOffOnly)
            {
                // The polling rider's driver stays on this ride: taken for good.
                winner = null;
                return rideId;
            }

            var code = ride.GetProperty("startCode").GetString();
            var done = await CallAsync(log, "POST /api/rides/{id}/arrive", log.Now, HttpMethod.Post, $"/api/rides/{rideId}/arrive", winner.Member) is not null
                && await CallAsync(log, "POST /api/rides/{id}/start", log.Now, HttpMethod.Post, $"/api/rides/{rideId}/start", winner.Member, new { code }) is not null
                && await CallAsync(log, "POST /api/rides/{id}/complete", log.Now, HttpMethod.Post, $"/api/rides/{rideId}/complete", winner.Member) is not null;
            return done ? rideId : null;
        }
        finally
        {
            if (winner is not null)
            {
                winner.RestsUntil = _uptime.Elapsed + Rest;
                winner.Free();
            }
        }
    }

    private List<CityDriver> TakeBidders(double lat, double lng, int count)
    {
        var taken = new List<CityDriver>();
        var now = _uptime.Elapsed;
        var from = Random.Shared.Next(_drivers.Count);
        for (var i = 0; i < _drivers.Count && taken.Count < count; i++)
        {
            var driver = _drivers[(from + i) % _drivers.Count];
            if (driver.RestsUntil <= now && driver.Near(lat, lng, BidderRadiusKm) && driver.TryTake())
            {
                taken.Add(driver);
            }
        }

        return taken;
    }

    /// <summary>One request, logged by kind from when it was due; the answer's JSON (an empty element for 204), or
    /// null when it failed.</summary>
    private async Task<JsonElement?> CallAsync(
        RequestLog log, string kind, TimeSpan due, HttpMethod method, string path, BenchUser caller, object? body = null, string? idempotencyKey = null)
    {
        log.Sending(due);
        try
        {
            using var response = await _bench.SendAsync(method, path, caller.Token, body, idempotencyKey);
            var text = await response.Content.ReadAsStringAsync();
            log.Answered(kind, due, response.StatusCode, response.IsSuccessStatusCode ? null : ProblemCode(text));
            return !response.IsSuccessStatusCode ? null
                : response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? default(JsonElement)
                : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            log.Failed(kind, due, e);
            return null;
        }
    }

    /// <summary>A refusal's code (driver-busy, …) or the fields a 400 names, to tell errors of one status apart.</summary>
    private static string? ProblemCode(string text)
    {
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            return problem.TryGetProperty("code", out var code) ? code.GetString()
                : problem.TryGetProperty("errors", out var errors) ? string.Join(",", errors.EnumerateObject().Select(e => e.Name))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
