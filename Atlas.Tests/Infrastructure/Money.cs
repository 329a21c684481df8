using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Functions.Functions;
using Atlas.Functions.Queues;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Infrastructure;

/// <summary>The money side of a ride the way the apps and the platform's staff see it, through HTTP.</summary>
public static class Money
{
    /// <summary>Drives an assigned ride to its end: set off, arrive, start with the rider's code, complete.</summary>
    public static async Task CompleteAsync(AtlasAppFactory app, SignedIn rider, SignedIn driver, string rideId)
    {
        var code = (await GetRideAsync(rider, rideId)).GetProperty("startCode").GetString();
        await HttpAssert.JsonAsync(await RideActionAsync(driver, rideId, "set-off"));
        await HttpAssert.JsonAsync(await RideActionAsync(driver, rideId, "arrive"));
        await HttpAssert.JsonAsync(await RideActionAsync(driver, rideId, "start", new { code }));
        await HttpAssert.JsonAsync(await RideActionAsync(driver, rideId, "complete"));
        await app.DrainAsync();
    }

    public static async Task<JsonElement> PaymentAsync(SignedIn caller, string rideId) =>
        await HttpAssert.JsonAsync(await caller.Client.GetAsync($"/api/rides/{rideId}/payment"));

    public static async Task PayoutAccountAsync(SignedIn driver, string accountId) =>
        await HttpAssert.JsonAsync(await driver.Client.PutAsJsonAsync("/api/drivers/me/payout-account", new { accountId }));

    /// <summary>A platform admin runs settlement for the current period (or the one named); returns the report.</summary>
    public static async Task<JsonElement> SettleAsync(AtlasAppFactory app, string? period = null)
    {
        var admin = await Accounts.PlatformAdminAsync(app);
        return await HttpAssert.JsonAsync(await admin.Client.PostAsJsonAsync("/api/settlements", new { period }));
    }

    public static JsonElement LineOf(JsonElement report, string driverId) =>
        report.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("driverId").GetString() == driverId);

    public static async Task<HttpResponseMessage> RefundAsync(AtlasAppFactory app, string rideId, long? amount, string key)
    {
        var admin = await Accounts.PlatformAdminAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rides/{rideId}/refunds") { Content = JsonContent.Create(new { amount }) };
        request.Headers.Add("Idempotency-Key", key);
        return await admin.Client.SendAsync(request);
    }

    /// <summary>The PaymentIntents the fake Stripe holds for a ride (its authorisations; tips excluded), in the order
    /// Stripe made them.</summary>
    public static IReadOnlyList<JsonObject> IntentsOf(AtlasAppFactory app, string rideId) =>
        [.. app.Stripe.State.Events
            .Select(e => (JsonObject)e["data"]!["object"]!)
            .Where(o => (string?)o["object"] == "payment_intent" && (string?)o["metadata"]?["ride_id"] == rideId && o["metadata"]?["tip_id"] is null)
            .GroupBy(o => (string)o["id"]!)
            .Select(g => app.Stripe.State.Find(g.Key)!)];

    public static int StripeCalls(AtlasAppFactory app, string method, string pathPrefix) =>
        app.Stripe.Requests.Count(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>No message of any queue gave up: a failing effect would otherwise pass unseen.</summary>
    public static async Task AssertNothingPoisonedAsync(AtlasAppFactory app)
    {
        var queues = app.Services.GetRequiredService<IQueueClient>();
        foreach (var queue in FunctionIndex.App.Queues.Select(q => QueueNames.Unprefixed(q.Queue)).Distinct())
        {
            Assert.True(await queues.ApproximateCountAsync(QueueNames.Poison(queue), default) == 0, $"{queue} has poisoned messages");
        }
    }
}
