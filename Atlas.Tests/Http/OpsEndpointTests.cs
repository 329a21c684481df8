using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>GET /api/ops/lifecycles/{type}/{id}: state, pending deadline and outbox, for platform admins.</summary>
public sealed class OpsEndpointTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task It_shows_an_instances_state_version_and_pending_deadline()
    {
        var admin = await Accounts.PlatformAdminAsync(app);
        var challengeId = await Accounts.StartAsync(app.CreateClient(), Accounts.NewPhone());

        var view = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/lifecycles/signin/{challengeId}"));

        Assert.Equal("signin", view.GetProperty("lifecycle").GetString());
        Assert.Equal(1, view.GetProperty("version").GetInt64());
        Assert.Equal("pending", view.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(5), view.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(0, view.GetProperty("outbox").GetArrayLength());
    }

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
