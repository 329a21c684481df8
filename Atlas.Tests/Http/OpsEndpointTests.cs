using System.Net;
using System.Text.Json;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>GET /api/ops/lifecycles/{type}/{id}: state, pending deadline, outbox and deadline flows, for platform admins.</summary>
public sealed class OpsEndpointTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task It_shows_an_instances_state_version_and_outbox()
    {
        var admin = await Accounts.PlatformAdminAsync(app);
        var challengeId = await Accounts.StartAsync(app.CreateClient(), Accounts.NewPhone());
        // The code's text is relayed after the answer: until it is sent, the view rightly shows it pending.
        await Atlas.Testing.Triggers.RelaysQuietAsync(app.Services);

        var view = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/signin/{challengeId}"));

        Assert.Equal("signin", view.GetProperty("lifecycle").GetString());
        Assert.Equal(1, view.GetProperty("version").GetInt64());
        Assert.Equal("pending", view.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("deadline").ValueKind);
        Assert.Equal(0, view.GetProperty("outbox").GetArrayLength());
        Assert.Equal(0, view.GetProperty("flows").GetArrayLength());
    }

    [Fact]
    public async Task It_shows_the_journey_that_follows_the_booking_and_the_deadline_it_waits_on()
    {
        var admin = await Accounts.PlatformAdminAsync(app);
        var rider = await Accounts.SignInAsync(app);
        var booking = await Marketplace.BookAsync(app, rider);
        var id = booking.GetProperty("id").GetString()!;
        var closesAt = booking.GetProperty("bidding").GetProperty("closesAt").GetDateTimeOffset();
        await app.DrainAsync();
        var waiting = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/booking/{id}"));

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await app.DrainAsync();
        var extended = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/booking/{id}"));

        Assert.Equal(closesAt, waiting.GetProperty("deadline").GetDateTimeOffset());
        var journey = Assert.Single(waiting.GetProperty("flows").EnumerateArray());
        Assert.Equal($"journey-{id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]}", journey.GetProperty("instanceId").GetString());
        Assert.Equal("BookingJourneyV2", journey.GetProperty("name").GetString());
        Assert.Equal("Running", journey.GetProperty("runtimeStatus").GetString());
        Assert.Equal(closesAt, journey.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.String, journey.GetProperty("pendingTimer").ValueKind);
        Assert.Contains("ExecutionStarted", EventTypes(journey));

        // No bid came, so the close extended the window once: the same journey follows it, still waiting on a deadline no
        // later than the booking's (a later one is learnt when the earlier fires: no news is sent for it).
        var after = Assert.Single(extended.GetProperty("flows").EnumerateArray());
        Assert.Equal(journey.GetProperty("instanceId").GetString(), after.GetProperty("instanceId").GetString());
        Assert.Equal("Running", after.GetProperty("runtimeStatus").GetString());
        Assert.True(extended.GetProperty("deadline").GetDateTimeOffset() > closesAt);
        Assert.True(after.GetProperty("deadline").GetDateTimeOffset() <= extended.GetProperty("deadline").GetDateTimeOffset());
    }

    private static List<string> EventTypes(JsonElement flow) =>
        [.. flow.GetProperty("recentHistory").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()!)];

    [Fact]
    public async Task Without_a_token_it_is_401_and_for_other_roles_403()
    {
        await HttpAssert.ProblemAsync(await app.CreateClient().GetAsync("/api/ops/lifecycles/signin/ch_x"), HttpStatusCode.Unauthorized);

        var rider = await Accounts.SignInAsync(app);
        await HttpAssert.ProblemAsync(await rider.Client.GetAsync("/api/ops/lifecycles/signin/ch_x"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unknown_type_or_instance_is_404()
    {
        var admin = await Accounts.PlatformAdminAsync(app);

        await HttpAssert.ProblemAsync(await admin.Client.GetAsync("/api/ops/lifecycles/nothing/x"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await admin.Client.GetAsync("/api/ops/lifecycles/signin/ch_never-made"), HttpStatusCode.NotFound);
    }
}
