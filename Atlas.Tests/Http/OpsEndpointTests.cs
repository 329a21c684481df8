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

        var view = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/signin/{challengeId}"));

        Assert.Equal("signin", view.GetProperty("lifecycle").GetString());
        Assert.Equal(1, view.GetProperty("version").GetInt64());
        Assert.Equal("pending", view.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("deadline").ValueKind);
        Assert.Equal(0, view.GetProperty("outbox").GetArrayLength());
        Assert.Equal(0, view.GetProperty("flows").GetArrayLength());
    }

    [Fact]
    public async Task It_shows_the_deadline_flow_its_deadline_armed_waiting_then_completed()
    {
        var admin = await Accounts.PlatformAdminAsync(app);
        var rider = await Accounts.SignInAsync(app);
        var booking = await Marketplace.BookAsync(app, rider);
        var id = booking.GetProperty("id").GetString()!;
        var closesAt = booking.GetProperty("bidding").GetProperty("closesAt").GetDateTimeOffset();
        await app.DrainAsync();

        // Started by the drain; its first episode (which sets its timer) may still be on its way.
        var waiting = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/booking/{id}"));
        for (var look = 0; look < 100 && waiting.GetProperty("flows")[0].GetProperty("runtimeStatus").GetString() == "Pending"; look++)
        {
            await Task.Delay(50);
            waiting = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/booking/{id}"));
        }

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await app.DrainAsync();
        var fired = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/booking/{id}"));

        Assert.Equal(closesAt, waiting.GetProperty("deadline").GetDateTimeOffset());
        var flow = Assert.Single(waiting.GetProperty("flows").EnumerateArray());
        Assert.Equal($"deadline-booking-{id}-{closesAt.UtcTicks:D19}", flow.GetProperty("instanceId").GetString());
        Assert.Equal("DeadlineV1", flow.GetProperty("name").GetString());
        Assert.Equal("Running", flow.GetProperty("runtimeStatus").GetString());
        Assert.Equal(closesAt, flow.GetProperty("pendingTimer").GetDateTimeOffset());
        Assert.Contains("ExecutionStarted", EventTypes(flow));

        // No bid came, so the close extended the window once: the first flow is done, the extension's waits.
        var flows = fired.GetProperty("flows").EnumerateArray().ToList();
        Assert.Equal(2, flows.Count);
        Assert.Equal("Completed", flows[0].GetProperty("runtimeStatus").GetString());

        // Woken (as the tests' clock does it), then its activity sent the timeout, then it ended.
        var history = EventTypes(flows[0]);
        Assert.Equal(["EventRaised", "TaskScheduled", "TaskCompleted", "ExecutionCompleted"], history.Where(t => t is "EventRaised" or "TaskScheduled" or "TaskCompleted" or "ExecutionCompleted"));
        Assert.Contains(flows[0].GetProperty("recentHistory").EnumerateArray(), e => e.GetProperty("name").GetString() == "FireDeadlineAsync");
        Assert.Equal(JsonValueKind.Null, flows[0].GetProperty("pendingTimer").ValueKind);
        Assert.Equal("Running", flows[1].GetProperty("runtimeStatus").GetString());
        Assert.Equal(fired.GetProperty("deadline").GetDateTimeOffset(), flows[1].GetProperty("pendingTimer").GetDateTimeOffset());
        Assert.True(flows[1].GetProperty("deadline").GetDateTimeOffset() > closesAt);
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
