using System.Net;
using System.Text.Json;
using Atlas.Functions.Hosting;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing.Sample;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>
/// Under the Functions host, queue and timer triggers arrive as POST /{FunctionName} with {"Data","Metadata"}.
/// They must run the same code standalone mode runs.
/// </summary>
public sealed class CustomHandlerTests : IAsyncLifetime
{
    private readonly AtlasAppFactory _app = new(HostingMode.CustomHandler, new Dictionary<string, string?>());
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Lifecycle<JobState, JobCommand> Jobs => _app.Services.GetRequiredService<Lifecycle<JobState, JobCommand>>();

    /// <summary>Takes the effect message off the queue as the host would, and hands back its text.</summary>
    private async Task<QueueMessage> TakeEffectMessageAsync()
    {
        var queues = _app.Services.GetRequiredService<IQueueClient>();
        var message = Assert.Single(await queues.ReceiveAsync(EffectRoutes.DefaultQueue, 32, TimeSpan.FromMinutes(1), default));
        await queues.DeleteAsync(EffectRoutes.DefaultQueue, message, default);
        return message;
    }

    private static object Invocation(QueueMessage message) => new
    {
        Data = new { message = message.Text },
        Metadata = new { DequeueCount = 1, Id = message.Id, PopReceipt = message.PopReceipt, InsertionTime = "2026-11-21T12:00:00+00:00" },
    };

    [Fact]
    public async Task A_queue_message_in_the_hosts_format_runs_the_effect_handler_and_its_feedback()
    {
        await Jobs.ExecuteAsync("hosted", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);
        var message = await TakeEffectMessageAsync();

        var response = await _client.PostAsJsonAsync("/Effects", Invocation(message));

        var body = await HttpAssert.JsonAsync(response);
        Assert.True(body.TryGetProperty("Outputs", out _));
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.True(body.TryGetProperty("ReturnValue", out _));
        Assert.Equal(["job:hosted:1:0"], await _app.Services.GetRequiredService<Announcer>().AppliedAsync());
        Assert.True(Assert.IsType<Open>((await Jobs.GetAsync("hosted", default)).State).Announced);
    }

    [Fact]
    public async Task The_same_message_through_the_standalone_pump_has_the_same_effect()
    {
        await Jobs.ExecuteAsync("pumped", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);
        var catalogQueue = _app.Services.GetRequiredService<Atlas.Functions.Functions.FunctionCatalog>().All
            .OfType<Atlas.Functions.Functions.QueueFunction>().Single(f => f.Name == "Effects");

        await _app.Services.GetRequiredService<QueuePump>().RunOnceAsync(
            catalogQueue.Queue, (m, ct) => catalogQueue.Handler(_app.Services, m, ct), default);

        Assert.Equal(["job:pumped:1:0"], await _app.Services.GetRequiredService<Announcer>().AppliedAsync());
        Assert.True(Assert.IsType<Open>((await Jobs.GetAsync("pumped", default)).State).Announced);
    }

    [Fact]
    public async Task A_failing_invocation_answers_500_so_the_host_retries_it()
    {
        var response = await _client.PostAsJsonAsync("/Effects", new { Data = new { message = """{"effectId":"x","kind":"unknown.kind","lifecycle":"job","instanceId":"a","payload":{}}""" }, Metadata = new { DequeueCount = 1 } });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("failed", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timer_invocation_runs_the_timer_scan()
    {
        await Jobs.ExecuteAsync("timed", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await _client.PostAsJsonAsync("/TimerScan", new { Data = new { timer = new { IsPastDue = false } }, Metadata = new { } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType<Closed>((await Jobs.GetAsync("timed", default)).State);
    }

    [Fact]
    public async Task An_invocation_with_a_body_that_is_not_json_is_a_400_problem()
    {
        var response = await _client.PostAsync("/Effects", new StringContent("nope", System.Text.Encoding.UTF8, "application/json"));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Http_functions_keep_their_api_routes_under_the_host()
    {
        var health = await HttpAssert.JsonAsync(await _client.GetAsync("/api/health"));

        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Standalone_mode_does_not_expose_invocation_endpoints()
    {
        await using var standalone = new AtlasAppFactory();

        var response = await standalone.CreateClient().PostAsJsonAsync("/TimerScan", new { Data = new { }, Metadata = new { } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
