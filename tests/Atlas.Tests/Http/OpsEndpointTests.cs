using System.Net;
using System.Net.Http.Json;
using Atlas.Functions.Ops;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>GET /api/ops/lifecycles/{type}/{id}: state, pending deadline and outbox, behind the ops key.</summary>
public sealed class OpsEndpointTests : IClassFixture<AtlasAppFactory>
{
    private readonly AtlasAppFactory _app;
    private readonly HttpClient _client;

    public OpsEndpointTests(AtlasAppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    private Task<HttpResponseMessage> GetOps(string path, string? key = TestSettings.OpsKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add(LifecycleOpsFunctions.KeyHeader, key);
        }

        return _client.SendAsync(request);
    }

    [Fact]
    public async Task It_shows_an_instances_state_version_and_pending_deadline()
    {
        await _client.PutAsJsonAsync("/api/jobs/shown", new { title = "Crate", openForSeconds = 300 });

        var view = await HttpAssert.JsonAsync(await GetOps("/api/ops/lifecycles/job/shown"));

        Assert.Equal("job", view.GetProperty("lifecycle").GetString());
        Assert.Equal(1, view.GetProperty("version").GetInt64());
        Assert.Equal("open", view.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(_app.Clock.GetUtcNow().AddSeconds(300), view.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(0, view.GetProperty("outbox").GetArrayLength());
    }

    [Fact]
    public async Task Without_the_ops_key_it_is_401()
    {
        await HttpAssert.ProblemAsync(await GetOps("/api/ops/lifecycles/job/shown", key: null), HttpStatusCode.Unauthorized);
        await HttpAssert.ProblemAsync(await GetOps("/api/ops/lifecycles/job/shown", key: "guess"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_type_or_instance_is_404()
    {
        await HttpAssert.ProblemAsync(await GetOps("/api/ops/lifecycles/nothing/x"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await GetOps("/api/ops/lifecycles/job/never-made"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_an_ops_key_configured_the_endpoint_does_not_exist()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Ops:Key"] = "" });

        var response = await app.CreateClient().GetAsync("/api/ops/lifecycles/job/x");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
