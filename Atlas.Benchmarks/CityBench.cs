using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Atlas.Testing;

namespace Atlas.Benchmarks;

/// <summary>
/// A city on the whole app (the worker under the local host, its queue triggers, timers and Durable engine running)
/// on an Azurite of its own: drivers with a company's car, spread over some 33 × 35 km, and riders with a card. The
/// clock is real time, as in Azure: an open loop of a minute or more needs time to pass for everyone at once, so the
/// bid windows are the shortest allowed (10 s) and close on their durable timers. Everyone signs in through SMS, as
/// anyone does, 64 at a time. The city only grows (<see cref="GrowAsync"/>), so a search steps up without starting over.
/// </summary>
public sealed partial class CityBench : IAsyncDisposable
{
    private const double CenterLat = 51.50;
    private const double CenterLng = -0.125;

    private readonly BenchApp _bench;
    private readonly List<CityDriver> _drivers = [];
    private readonly List<BenchUser> _bookers = [];
    private readonly List<(BenchUser Rider, string RideId)> _pollers = [];
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly List<Fleet> _fleets = [];
    private readonly int _fleetSize;
    private BenchUser _platform = new("", "");
    private int _phones = Random.Shared.Next(10_000_000);

    private CityBench(BenchApp bench, int fleetSize)
    {
        _bench = bench;
        _fleetSize = fleetSize;
    }

    public CallCounts Calls => _bench.Calls;

    public Atlas.LocalHost.Durable.DurableActivitySnapshot Engine => _bench.App.Host.DurableActivity!;

    /// <param name="fleetSize">Drivers per company: a city's drivers work for many fleets, each a partition of its own
    /// (a company's drivers share one).</param>
    public static async Task<CityBench> StartAsync(int fleetSize)
    {
        var bench = await BenchApp.StartAsync(new Dictionary<string, string?>
        {
            // Deadlines on durable timers, on the real clock, as in Azure; the engine polls as host.json has it there.
            ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:01",
            ["Bookings:BidWindow"] = "00:00:10",

            // A search signs people in between its steps for many minutes: tokens and positions must outlast it.
            ["Auth:AccessTokenLifetime"] = "1.00:00:00",
            ["Bookings:LocationFreshFor"] = "01:00:00",
        });
        var city = new CityBench(bench, fleetSize);
        city._platform = await city._bench.SignInUserAsync(TestSettings.PlatformAdminPhone);
        return city;
    }

    /// <summary>Signs in drivers (profile, available, a first position) and riders until the city has this many; each
    /// new polling rider books a ride first, which a free driver wins and sets off on, and polls it from then on.</summary>
    public async Task GrowAsync(int drivers, int pollers, int bookers)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 64 };
        var fleets = (drivers + _fleetSize - 1) / _fleetSize;
        await Parallel.ForEachAsync(Enumerable.Range(_fleets.Count, Math.Max(0, fleets - _fleets.Count)), options, async (k, _) =>
        {
            var fleet = await FoundFleetAsync(k);
            lock (_fleets)
            {
                _fleets.Add(fleet);
            }
        });
        _fleets.Sort((a, b) => a.Number.CompareTo(b.Number));

        await Parallel.ForEachAsync(Enumerable.Range(_drivers.Count, Math.Max(0, drivers - _drivers.Count)), options, async (i, _) =>
        {
            var driver = await HireDriverAsync(_fleets[i / _fleetSize]);
            lock (_drivers)
            {
                _drivers.Add(driver);
            }
        });
        await Parallel.ForEachAsync(Enumerable.Range(_bookers.Count, Math.Max(0, bookers - _bookers.Count)), options, async (_, _) =>
        {
            var rider = await SignUpRiderAsync();
            lock (_bookers)
            {
                _bookers.Add(rider);
            }
        });

        // A window of 10 s each, 25 at once: each booking invites up to 50 drivers, and a hundred at once (5,000
        // pushes) kept the bookings' answers past their own windows. A booking whose bid still came too late (the
        // setup is not measured) is booked again, up to three times.
        var log = new RequestLog(_uptime, TimeSpan.Zero, TimeSpan.MaxValue);
        await Parallel.ForEachAsync(Enumerable.Range(_pollers.Count, Math.Max(0, pollers - _pollers.Count)), new ParallelOptions { MaxDegreeOfParallelism = 25 }, async (_, _) =>
        {
            var rider = await SignUpRiderAsync();
            string? ride = null;
            // Booking again, not retrying a call: the setup needs each polling rider on a ride.
            for (var attempt = 0; attempt < 3 && ride is null; attempt++)
            {
                ride = await BookAsync(rider, log, setOffOnly: true);
            }

            if (ride is null)
            {
                throw new InvalidOperationException(
                    $"A polling rider got no ride in three bookings (too few drivers free near the pickup: {log.Unserved}); {string.Join("; ", log.Figures().Where(f => f.Errors.Count > 0))}");
            }

            lock (_pollers)
            {
                _pollers.Add((rider, ride));
            }
        });
    }

    /// <summary>A company with its admin signed in and one car its drivers share.</summary>
    private async Task<Fleet> FoundFleetAsync(int number)
    {
        var adminPhone = NextPhone();
        var company = await _bench.JsonAsync(HttpMethod.Post, "/api/companies", _platform, new { name = $"City Cabs {number + 1}", adminPhone });
        var companyId = company.GetProperty("id").GetString()!;
        var admin = await _bench.SignInUserAsync(adminPhone);
        var vehicle = await _bench.JsonAsync(HttpMethod.Post, $"/api/companies/{companyId}/vehicles", admin, new { type = "car", capacity = new { seats = 4 }, plate = $"CITY {number + 1:D3}" });
        return new Fleet(number, companyId, admin, vehicle.GetProperty("id").GetString()!);
    }

    private async Task<CityDriver> HireDriverAsync(Fleet fleet)
    {
        var phone = NextPhone();
        await _bench.JsonAsync(HttpMethod.Post, $"/api/companies/{fleet.CompanyId}/members", fleet.Admin, new { phone, role = "driver" });
        var member = await _bench.SignInUserAsync(phone);
        await _bench.JsonAsync(HttpMethod.Put, "/api/drivers/me", member, new { name = "City Driver", licenceNumber = "DL" + phone[^6..], vehicleId = fleet.VehicleId });
        await _bench.JsonAsync(HttpMethod.Put, "/api/drivers/me/availability", member, new { available = true });
        var driver = new CityDriver(member, CenterLat + ((Random.Shared.NextDouble() - 0.5) * 0.3), CenterLng + ((Random.Shared.NextDouble() - 0.5) * 0.5));
        using var located = await _bench.SendAsync(HttpMethod.Post, "/api/drivers/me/location", member.Token, driver.Position());
        return located.StatusCode == HttpStatusCode.NoContent ? driver : throw new InvalidOperationException($"A first position: {(int)located.StatusCode}");
    }

    private async Task<BenchUser> SignUpRiderAsync()
    {
        var rider = await _bench.SignInUserAsync(NextPhone());
        await _bench.JsonAsync(HttpMethod.Put, "/api/me/payment-method", rider, new { paymentMethodId = "pm_card_visa" });
        return rider;
    }

    private string NextPhone() => $"+1555{Interlocked.Increment(ref _phones) % 10_000_000:D7}";

    public ValueTask DisposeAsync() => _bench.DisposeAsync();

    private sealed record Fleet(int Number, string CompanyId, BenchUser Admin, string VehicleId);

    /// <summary>A driver of the city where the bench put them, and whether a booking has them (bidding or driving).</summary>
    private sealed class CityDriver(BenchUser member, double lat, double lng)
    {
        private int _taken;

        public BenchUser Member { get; } = member;

        /// <summary>Back from a ride, a driver rests a while before bidding again: the duty's release is an effect a
        /// queue hop after the ride completes, and a bid before it would be told driver-busy.</summary>
        public TimeSpan RestsUntil { get; set; }

        public bool Near(double pickupLat, double pickupLng, double km) =>
            Math.Pow((lat - pickupLat) * 111.2, 2) + Math.Pow((lng - pickupLng) * 111.2 * Math.Cos(lat * Math.PI / 180), 2) < km * km;

        public bool TryTake() => Interlocked.CompareExchange(ref _taken, 1, 0) == 0;

        public void Free() => Volatile.Write(ref _taken, 0);

        /// <summary>Where the driver's app says it is: about where they wait, give or take 50 m.</summary>
        public object Position() => new { lat = lat + ((Random.Shared.NextDouble() - 0.5) * 0.001), lng = lng + ((Random.Shared.NextDouble() - 0.5) * 0.0015) };
    }
}
