using System.Text.Json;

namespace Atlas.Benchmarks;

/// <summary>The bench's people: a company, and per crew a rider and three drivers, signed in as the apps would; and
/// the HTTP calls they make.</summary>
public sealed partial class RideBench
{
    /// <summary>A company with one car, and per crew a rider and three drivers ready to bid, all signed in through SMS.</summary>
    private async Task HireAsync(int crews)
    {
        var phones = Random.Shared.Next(1_000_000);
        string NextPhone() => $"+1555{Interlocked.Increment(ref phones) % 10_000_000:D7}";

        var platform = (await _bench.SignInAsync("+447700900000")).GetProperty("accessToken").GetString()!;
        var adminPhone = NextPhone();
        var company = await _bench.JsonAsync(HttpMethod.Post, "/api/companies", new BenchUser("", platform), new { name = "Bench Cabs", adminPhone });
        var companyId = company.GetProperty("id").GetString();
        var admin = await _bench.SignInUserAsync(adminPhone);
        var vehicle = await _bench.JsonAsync(HttpMethod.Post, $"/api/companies/{companyId}/vehicles", admin, new { type = "car", capacity = new { seats = 4 }, plate = "BEN 001" });
        var vehicleId = vehicle.GetProperty("id").GetString();

        var hired = await Task.WhenAll(Enumerable.Range(0, crews).Select(async _ =>
        {
            var rider = await _bench.SignInUserAsync(NextPhone());
            await _bench.JsonAsync(HttpMethod.Put, "/api/me/payment-method", rider, new { paymentMethodId = "pm_card_visa" });
            var drivers = new List<BenchUser>();
            for (var i = 0; i < 3; i++)
            {
                var phone = NextPhone();
                await _bench.JsonAsync(HttpMethod.Post, $"/api/companies/{companyId}/members", admin, new { phone, role = "driver" });
                var driver = await _bench.SignInUserAsync(phone);
                await _bench.JsonAsync(HttpMethod.Put, "/api/drivers/me", driver, new { name = "Bench Driver", licenceNumber = "DL" + phone[^6..], vehicleId });
                await _bench.JsonAsync(HttpMethod.Put, "/api/drivers/me/availability", driver, new { available = true });
                // Spread over some 33 × 35 km around the pickup: a booking invites the drivers within its 10 km.
                await SendAsync(HttpMethod.Post, "/api/drivers/me/location", driver, new { lat = 51.50 + ((Random.Shared.NextDouble() - 0.5) * 0.3), lng = -0.125 + ((Random.Shared.NextDouble() - 0.5) * 0.5) });
                drivers.Add(driver);
            }

            return new Crew(rider, drivers);
        }));
        _crews.AddRange(hired);
    }

    private async Task SendAsync(HttpMethod method, string path, BenchUser caller, object? body)
    {
        using var response = await _bench.SendAsync(method, path, caller.Token, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private sealed record Crew(BenchUser Rider, IReadOnlyList<BenchUser> Drivers);
}
