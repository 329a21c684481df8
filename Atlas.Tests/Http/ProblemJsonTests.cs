using System.Net;
using System.Text;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>Every error is RFC 9457 problem+json naming what is wrong; bad input never reaches storage.</summary>
public sealed class ProblemJsonTests : IClassFixture<AtlasAppFactory>
{
    private readonly AtlasAppFactory _app;
    private readonly HttpClient _client;

    public ProblemJsonTests(AtlasAppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    private Task<HttpResponseMessage> PutRaw(string path, string body) =>
        _client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await HttpAssert.ProblemAsync(await _client.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        await HttpAssert.ProblemAsync(await _client.DeleteAsync("/api/health"), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem()
    {
        var response = await PutRaw("/api/jobs/j1", "{not json");

        await HttpAssert.ValidationProblemAsync(response, "body");
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        var response = await PutRaw("/api/jobs/j1", "");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_a_400_naming_the_field()
    {
        var response = await PutRaw("/api/jobs/j1", """{"title":"Crate","openForSeconds":"soon"}""");

        await HttpAssert.ValidationProblemAsync(response, "openForSeconds");
    }

    [Fact]
    public async Task A_field_the_endpoint_does_not_know_is_a_400_naming_it_and_nothing_is_written()
    {
        var response = await PutRaw("/api/jobs/sneaky", """{"title":"Crate","openForSeconds":60,"status":"closed"}""");

        await HttpAssert.ValidationProblemAsync(response, "status");
        await HttpAssert.ProblemAsync(await _client.GetAsync("/api/jobs/sneaky"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_missing_field_is_a_400_naming_the_field_and_its_rule()
    {
        var response = await _client.PutAsJsonAsync("/api/jobs/j1", new { openForSeconds = 60 });

        var rule = await HttpAssert.ValidationProblemAsync(response, "title");
        Assert.Contains("required", rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_string_is_a_400_and_nothing_is_written()
    {
        var response = await _client.PutAsJsonAsync("/api/jobs/huge", new { title = new string('x', 50_000), openForSeconds = 60 });

        await HttpAssert.ValidationProblemAsync(response, "title");
        await HttpAssert.ProblemAsync(await _client.GetAsync("/api/jobs/huge"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_body_too_large_to_read_is_a_413_and_nothing_is_written()
    {
        var response = await _client.PutAsJsonAsync("/api/jobs/huger", new { title = new string('x', 1_000_000), openForSeconds = 60 });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await HttpAssert.ProblemAsync(await _client.GetAsync("/api/jobs/huger"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_command_the_lifecycle_refuses_is_a_409_with_its_reason()
    {
        var response = await _client.PostAsJsonAsync("/api/jobs/never-opened/work", new { requestId = "r1", amount = 1 });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("job-not-open", problem.GetProperty("code").GetString());
        Assert.Equal("The job has not been opened.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_valid_command_goes_through_and_a_replay_of_it_changes_nothing()
    {
        await _client.PutAsJsonAsync("/api/jobs/replayed", new { title = "Crate", openForSeconds = 60 });
        var first = await HttpAssert.JsonAsync(await _client.PostAsJsonAsync("/api/jobs/replayed/work", new { requestId = "r1", amount = 7 }));

        var replay = await HttpAssert.JsonAsync(await _client.PostAsJsonAsync("/api/jobs/replayed/work", new { requestId = "r1", amount = 7 }));

        Assert.Equal(2, first.GetProperty("version").GetInt64());
        Assert.Equal(2, replay.GetProperty("version").GetInt64());
        Assert.Equal(7, replay.GetProperty("state").GetProperty("total").GetInt32());
        Assert.Equal("open", replay.GetProperty("state").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_app_runs_the_lifecycles_timer_when_the_clock_moves()
    {
        await _client.PutAsJsonAsync("/api/jobs/timed", new { title = "Crate", openForSeconds = 60 });
        _app.Clock.Advance(TimeSpan.FromSeconds(60));

        await _app.Services.GetRequiredService<Atlas.Functions.Lifecycles.TimerScan>().RunOnceAsync(default);

        var job = await HttpAssert.JsonAsync(await _client.GetAsync("/api/jobs/timed"));
        Assert.Equal("closed", job.GetProperty("state").GetProperty("status").GetString());
    }
}
