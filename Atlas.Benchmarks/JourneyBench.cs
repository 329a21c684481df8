using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Atlas.Functions.Bookings;
using Atlas.Functions.Ops;
using Atlas.Functions.Storage;
using Atlas.Functions.Telemetry;
using Atlas.Testing;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;

namespace Atlas.Benchmarks;

/// <summary>
/// The booking journey (<see cref="BookingJourney"/>) on the real clock, its timers on the engine's durable timers as in
/// Azure (the engine polling at most every second, as host.json has it there), with the shortest durations the settings
/// allow. Bookings arrive in a steady stream, each with one bid from a driver of its own who never sets off: the window
/// closes on its timer and awards the ride, the ride's set-off deadline ends it, the booking bids again without that
/// driver, its empty window extends once and expires. Four of the journey's own timers a booking, and the facts of the
/// ride, its escrow (and the escrow's Stripe calls) and the booking's second round reaching the journey.
/// Timer lag: the app's own <c>atlas.deadline.lag</c> (deadline → the timeout sent to its lifecycle), heard in process.
/// Fact lag: from the journeys' histories in the task hub, each fact's commit time (<c>FlowFact.CommittedAt</c>) → the
/// engine's start of the episode that heard it (raised as an event, or the input that started the journey).
/// </summary>
public sealed class JourneyBench : IAsyncDisposable
{
    private static readonly object Pickup = new { lat = 51.5007, lng = -0.1246 };
    private static readonly object Dropoff = new { lat = 51.5194, lng = -0.1270 };

    private readonly BenchApp _bench;
    private readonly DurableTaskClient _durable;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Lifecycle, double Ms)> _timerLags = new();
    private readonly List<BenchUser> _riders = [];
    private readonly List<BenchUser> _drivers = [];

    public BenchApp Bench => _bench;

    private JourneyBench(BenchApp bench)
    {
        _bench = bench;
        _durable = bench.App.Host.CreateDurableClient();

        // The app runs in this process: every deadline lag it records on its meter is heard here.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AtlasTelemetry.Name && instrument.Name == "atlas.deadline.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var lifecycle = "";
            foreach (var tag in tags)
            {
                lifecycle = tag.Key == "lifecycle" ? tag.Value as string ?? "" : lifecycle;
            }

            _timerLags.Enqueue((lifecycle, seconds * 1000));
        });
    }

    public static async Task<JourneyBench> StartAsync(int drivers, int riders)
    {
        var bench = await BenchApp.StartAsync(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:01",
            ["Bookings:BidWindow"] = "00:00:10",

            // As long as the window: the ride's fact reaches the journey well before its set-off deadline, so that timer's
            // lag is the timer's, not the fact's way there.
            ["Rides:SetOffWithin"] = "00:00:10",
        });
        var journey = new JourneyBench(bench);
        await journey.HireAsync(drivers, riders);
        return journey;
    }

    /// <summary>Books <paramref name="count"/> bookings at <paramref name="perSecond"/> (an open loop), a bid each, and
    /// waits for every journey to end.</summary>
    public async Task<JourneyFigures> RunAsync(int count, double perSecond, TimeSpan patience)
    {
        _timerLags.Clear();
        _listener.Start();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var clock = Stopwatch.StartNew();
        var booked = new List<Task<string>>();
        for (var i = 0; i < count; i++)
        {
            if (interval * i > clock.Elapsed)
            {
                await Task.Delay(interval * i - clock.Elapsed);
            }

            var (rider, driver) = (_riders[i % _riders.Count], _drivers[i]);
            booked.Add(Task.Run(() => BookAndBidAsync(rider, driver)));
        }

        var journeys = (await Task.WhenAll(booked)).Select(BookingJourney.InstanceId).ToHashSet(StringComparer.Ordinal);
        var unfinished = await UntilEndedAsync(journeys, patience);
        _listener.Dispose();
        var timers = _timerLags.ToList();
        var facts = await FactLagsAsync(journeys);
        return new JourneyFigures(
            timers.Select(t => t.Ms).Order().ToList(),
            timers.CountBy(t => t.Lifecycle).OrderBy(c => c.Key, StringComparer.Ordinal).ToList(),
            facts,
            unfinished);
    }

    private async Task<string> BookAndBidAsync(BenchUser rider, BenchUser driver)
    {
        var quote = await _bench.JsonAsync(HttpMethod.Post, "/api/quotes", rider, new { pickup = Pickup, dropoff = Dropoff, vehicleType = "car" });
        var booking = await _bench.JsonAsync(HttpMethod.Post, "/api/bookings", rider, new { quoteId = quote.GetProperty("quoteId").GetString() }, Guid.NewGuid().ToString());
        var bookingId = booking.GetProperty("id").GetString()!;
        await _bench.JsonAsync(HttpMethod.Post, $"/api/bookings/{bookingId}/bids", driver, new { amount = booking.GetProperty("quote").GetProperty("total").GetInt64() });
        return bookingId;
    }

    /// <summary>Until every journey has ended, one query of the engine every two seconds; returns how many had not.</summary>
    private async Task<int> UntilEndedAsync(IReadOnlySet<string> journeys, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = BookingJourney.InstancePrefix,
            Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            PageSize = 1000,
        };
        while (true)
        {
            var ended = 0;
            await foreach (var flow in _durable.GetAllInstancesAsync(query))
            {
                ended += journeys.Contains(flow.InstanceId) ? 1 : 0;
            }

            if (ended == journeys.Count || waited.Elapsed > patience)
            {
                return journeys.Count - ended;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>From each journey's history (the task hub's History table, an execution's events in order): for each
    /// fact it heard, its commit → the start of the episode that heard it (the engine's clock), and the part of that
    /// before the fact was raised (or the journey started with it).</summary>
    private async Task<FactLags> FactLagsAsync(IEnumerable<string> journeys)
    {
        var hub = _bench.App.Services.GetRequiredService<IConfiguration>()[FlowHistory.HubSetting];
        var table = StorageClients.Tables(Azurite.ConnectionString).GetTableClient(hub + "History");
        var heard = new ConcurrentBag<(double Total, double Delivered, bool AsStart)>();
        var unstamped = 0;
        await Parallel.ForEachAsync(journeys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (journey, ct) =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(
                e => e.PartitionKey == journey, select: ["RowKey", "ExecutionId", "EventType", "Name", "_Timestamp", "Input"], cancellationToken: ct))
            {
                rows.Add(row);
            }

            foreach (var execution in rows.GroupBy(r => r.GetString("ExecutionId")))
            {
                DateTimeOffset? episode = null;
                foreach (var row in execution.OrderBy(r => r.RowKey, StringComparer.Ordinal))
                {
                    var type = row.GetString("EventType");
                    var at = row.GetDateTimeOffset("_Timestamp");
                    var fact = type switch
                    {
                        "OrchestratorStarted" => null,
                        "ExecutionStarted" => Property(Parse(row.GetString("Input")), "fact"),
                        "EventRaised" when row.GetString("Name") == "fact" => Parse(row.GetString("Input")),
                        _ => null,
                    };
                    if (type == "OrchestratorStarted")
                    {
                        episode = at;
                    }
                    else if (fact is { } f && Property(f, "committedAt") is { ValueKind: JsonValueKind.String } committed && episode is { } ran && at is { } raised)
                    {
                        var commit = committed.GetDateTimeOffset();
                        heard.Add(((ran - commit).TotalMilliseconds, (raised - commit).TotalMilliseconds, type == "ExecutionStarted"));
                    }
                    else if (fact is not null)
                    {
                        Interlocked.Increment(ref unstamped);
                    }
                }
            }
        });

        var all = heard.ToList();
        return new FactLags(
            all.Select(h => h.Total).Order().ToList(),
            all.Select(h => h.Delivered).Order().ToList(),
            all.Select(h => h.Total - h.Delivered).Order().ToList(),
            all.Count(h => h.AsStart),
            unstamped);
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>A property by name whatever its case (the worker's serializer names them).</summary>
    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } o
            ? o.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;

    /// <summary>A company with one car its drivers share (each available, with no position: nobody is invited, so no
    /// invitation pushes load the run), and riders with a card, all signed in through SMS 32 at a time.</summary>
    private async Task HireAsync(int drivers, int riders)
    {
        var phones = Random.Shared.Next(10_000_000);
        string NextPhone() => $"+1555{Interlocked.Increment(ref phones) % 10_000_000:D7}";

        var platform = await _bench.SignInUserAsync(TestSettings.PlatformAdminPhone);
        var adminPhone = NextPhone();
        var company = await _bench.JsonAsync(HttpMethod.Post, "/api/companies", platform, new { name = "Journey Cabs", adminPhone });
        var companyId = company.GetProperty("id").GetString();
        var admin = await _bench.SignInUserAsync(adminPhone);
        var vehicle = await _bench.JsonAsync(HttpMethod.Post, $"/api/companies/{companyId}/vehicles", admin, new { type = "car", capacity = new { seats = 4 }, plate = "JRN 001" });
        var vehicleId = vehicle.GetProperty("id").GetString();

        var options = new ParallelOptions { MaxDegreeOfParallelism = 32 };
        var hired = new ConcurrentBag<BenchUser>();
        await Parallel.ForEachAsync(Enumerable.Range(0, drivers), options, async (_, _) =>
        {
            var phone = NextPhone();
            await _bench.JsonAsync(HttpMethod.Post, $"/api/companies/{companyId}/members", admin, new { phone, role = "driver" });
            var driver = await _bench.SignInUserAsync(phone);
            await _bench.JsonAsync(HttpMethod.Put, "/api/drivers/me", driver, new { name = "Journey Driver", licenceNumber = "DL" + phone[^6..], vehicleId });
            await _bench.JsonAsync(HttpMethod.Put, "/api/drivers/me/availability", driver, new { available = true });
            hired.Add(driver);
        });
        var signedUp = new ConcurrentBag<BenchUser>();
        await Parallel.ForEachAsync(Enumerable.Range(0, riders), options, async (_, _) =>
        {
            var rider = await _bench.SignInUserAsync(NextPhone());
            await _bench.JsonAsync(HttpMethod.Put, "/api/me/payment-method", rider, new { paymentMethodId = "pm_card_visa" });
            signedUp.Add(rider);
        });
        _drivers.AddRange(hired);
        _riders.AddRange(signedUp);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _durable.DisposeAsync();
        await _bench.DisposeAsync();
    }
}

/// <summary>Deadline → timeout applied, ms (sorted), and how many by lifecycle; fact committed → heard; journeys that
/// had not ended in time.</summary>
public sealed record JourneyFigures(
    IReadOnlyList<double> TimerLags, IReadOnlyList<KeyValuePair<string, int>> TimersBy, FactLags Facts, int Unfinished);

/// <param name="Heard">Commit → the start of the journey's episode that heard the fact, ms (sorted).</param>
/// <param name="Delivered">Commit → raised to the journey (or started it): the relay, the flows queue and its function.</param>
/// <param name="InEngine">Raised → the episode started: the engine's part.</param>
/// <param name="AsStart">Facts that started their journey (its input).</param>
/// <param name="Unstamped">Facts heard with no commit time (or no episode before them).</param>
public sealed record FactLags(IReadOnlyList<double> Heard, IReadOnlyList<double> Delivered, IReadOnlyList<double> InEngine, int AsStart, int Unstamped);
