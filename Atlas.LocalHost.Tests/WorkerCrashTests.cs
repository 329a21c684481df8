using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.LocalHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests;

/// <summary>Its own host: killing the worker would disturb the shared one.</summary>
public sealed class WorkerCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly CrashFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Killing_the_worker_fails_the_request_in_flight_and_the_next_request_is_served_by_a_new_worker()
    {
        var http = _fixture.Http;
        var firstWorker = _fixture.Host.WorkerProcessId!.Value;
        var restarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _fixture.Host.WorkerRestarted += restarted.SetResult;

        var inFlight = http.GetAsync("api/slow/20000");
        await _fixture.Log.WaitForAsync(line => line.Contains("Sleeping 20000 ms", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        var killed = Stopwatch.StartNew();
        using (var worker = Process.GetProcessById(firstWorker))
        {
            worker.Kill();
        }

        using var failed = await inFlight;
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);

        var ping = await http.GetFromJsonAsync<JsonElement>("api/Ping");
        var served = killed.Elapsed;
        var secondWorker = ping.GetProperty("processId").GetInt32();

        Assert.NotEqual(firstWorker, secondWorker);
        Assert.Equal(secondWorker, await restarted.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        output.WriteLine($"Worker killed → next request served in {served.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_worker_killed_under_a_forwarded_request_is_logged_as_lost_and_the_caller_is_not_blamed()
    {
        var inFlight = _fixture.Http.GetAsync("api/slow/20000");
        await _fixture.Log.WaitForAsync(line => line.Contains("Sleeping 20000 ms", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var worker = _fixture.Host.WorkerProcessId!.Value;
        using (var process = Process.GetProcessById(worker))
        {
            process.Kill();
        }

        // The caller is still there, and gets its 500; the log says the worker went, not the caller.
        using var failed = await inFlight;
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var executed = Assert.Single(_fixture.Log.Lines, line => line.Contains("Executed 'Functions.Slow' (Failed", StringComparison.Ordinal));
        Assert.True(executed.Contains("): Worker ", StringComparison.Ordinal), $"The failure should name the worker: {executed}");
        Assert.DoesNotContain(_fixture.Log.Lines, line => line.Contains("caller went away", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_queue_message_in_flight_when_the_worker_dies_is_retried_by_the_next_worker()
    {
        var text = $"slow {Guid.NewGuid():N}";
        await _fixture.Queue(_fixture.WorkQueue).SendMessageAsync(text);
        await _fixture.Log.WaitForAsync(line => line.Contains("Executing 'Functions.Work'", StringComparison.Ordinal), TimeSpan.FromSeconds(15));

        using (var worker = Process.GetProcessById(_fixture.Host.WorkerProcessId!.Value))
        {
            worker.Kill();
        }

        // The lost invocation counts as a failure: the message is released and its second delivery succeeds.
        await _fixture.Log.WaitForAsync(line => line.Contains($"Handled '{text}'", StringComparison.Ordinal) && line.Contains("DequeueCount=2", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    private sealed class CrashFixture : HostFixture
    {
        // Only HTTP matters here; keep the timers quiet.
        protected override Dictionary<string, string> Settings()
        {
            var settings = base.Settings();
            settings["AzureWebJobs.Tick.Disabled"] = "true";
            settings["AzureWebJobs.WarmUp.Disabled"] = "true";
            return settings;
        }
    }
}
