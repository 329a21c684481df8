using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Atlas.Functions.Notifications;

namespace Atlas.Tests.Infrastructure;

/// <summary>Bookings, bids and rides the way the apps make them, through HTTP, with the clock moved by the test.</summary>
public static class Marketplace
{
    /// <summary>Westminster to Bloomsbury: about 2 km.</summary>
    public static readonly object Pickup = new { lat = 51.5007, lng = -0.1246 };
    public static readonly object Dropoff = new { lat = 51.5194, lng = -0.1270 };

    /// <summary>Gives the driver a profile with the vehicle, makes them available, and puts them near the pickup.</summary>
    public static async Task ReadyAsync(SignedIn driver, string vehicleId, double lat = 51.5010, double lng = -0.1250)
    {
        await HttpAssert.JsonAsync(await driver.Client.PutAsJsonAsync(
            "/api/drivers/me", new { name = "Dee Driver", licenceNumber = $"DL{Random.Shared.Next(100_000, 1_000_000)}", vehicleId }));
        await HttpAssert.JsonAsync(await driver.Client.PutAsJsonAsync("/api/drivers/me/availability", new { available = true }));
        Assert.Equal(HttpStatusCode.NoContent, (await driver.Client.PostAsJsonAsync("/api/drivers/me/location", new { lat, lng })).StatusCode);
    }

    /// <summary>Another driver of the company, ready to bid (sharing the company's vehicle).</summary>
    public static async Task<SignedIn> AddReadyDriverAsync(AtlasAppFactory app, TestCompany company)
    {
        var driver = await TestCompany.AddMemberAsync(app, company.Admin, company.Id, "driver");
        await ReadyAsync(driver, company.VehicleId);
        return driver;
    }

    public static async Task<JsonElement> QuoteAsync(SignedIn booker, string vehicleType = "car", DateTimeOffset? scheduledAt = null) =>
        await HttpAssert.JsonAsync(await booker.Client.PostAsJsonAsync("/api/quotes", new { pickup = Pickup, dropoff = Dropoff, vehicleType, scheduledAt }));

    public static async Task<HttpResponseMessage> PostBookingAsync(SignedIn booker, object body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await booker.Client.SendAsync(request);
    }

    /// <summary>Quotes and books a ride now; returns the booking as the booker sees it.</summary>
    public static async Task<JsonElement> BookAsync(AtlasAppFactory app, SignedIn booker, string vehicleType = "car", DateTimeOffset? scheduledAt = null)
    {
        var quote = await QuoteAsync(booker, vehicleType, scheduledAt);
        var booking = await HttpAssert.JsonAsync(
            await PostBookingAsync(booker, new { quoteId = quote.GetProperty("quoteId").GetString() }, Guid.NewGuid().ToString()), HttpStatusCode.Created);
        await app.DrainAsync();
        return booking;
    }

    public static long QuoteTotal(JsonElement booking) => booking.GetProperty("quote").GetProperty("total").GetInt64();

    public static async Task<HttpResponseMessage> BidAsync(SignedIn driver, string bookingId, long amount) =>
        await driver.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/bids", new { amount });

    /// <summary>Moves the clock past the bid window and runs the timers and queues until all is quiet.</summary>
    public static async Task CloseBiddingAsync(AtlasAppFactory app, int windowSeconds = 60)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(windowSeconds + 1));
        await app.DrainAsync();
    }

    public static async Task<JsonElement> GetBookingAsync(SignedIn caller, string bookingId) =>
        await HttpAssert.JsonAsync(await caller.Client.GetAsync($"/api/bookings/{bookingId}"));

    public static async Task<JsonElement> GetRideAsync(SignedIn caller, string rideId) =>
        await HttpAssert.JsonAsync(await caller.Client.GetAsync($"/api/rides/{rideId}"));

    /// <summary>A booking by <paramref name="booker"/> won by the company's driver: returns the booking id and ride id.</summary>
    public static async Task<(string BookingId, string RideId)> AssignedRideAsync(AtlasAppFactory app, SignedIn booker, TestCompany company, SignedIn? driver = null)
    {
        driver ??= company.Driver;
        await ReadyAsync(driver, company.VehicleId);
        var booking = await BookAsync(app, booker);
        var bookingId = booking.GetProperty("id").GetString()!;
        await HttpAssert.JsonAsync(await BidAsync(driver, bookingId, QuoteTotal(booking)));
        await CloseBiddingAsync(app);
        var assigned = await GetBookingAsync(booker, bookingId);
        Assert.Equal("assigned", assigned.GetProperty("status").GetString());
        return (bookingId, assigned.GetProperty("assignment").GetProperty("rideId").GetString()!);
    }

    public static async Task<HttpResponseMessage> RideActionAsync(SignedIn caller, string rideId, string action, object? body = null) =>
        await caller.Client.PostAsJsonAsync($"/api/rides/{rideId}/{action}", body ?? new { });

    /// <summary>The notices pushed to a user, newest first (topics only).</summary>
    public static IReadOnlyList<string> TopicsSentTo(AtlasAppFactory app, string userId) =>
        app.Services.GetRequiredService<PushRecorder>().SentTo(userId).Select(p => p.Message.Topic).ToList();

    public static void Authorize(HttpClient client, string token) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
