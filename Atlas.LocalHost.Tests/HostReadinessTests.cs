using System.Net;
using System.Net.Sockets;
using Atlas.LocalHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests;

/// <summary>What the host answers while it starts: nothing is served before the Durable engine and every listener are up.</summary>
public sealed class HostReadinessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task While_the_host_starts_every_function_answers_503_with_Retry_After_and_none_runs_without_its_Durable_client()
    {
        var port = FreePort();
        var starting = FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = SampleWorkerApp.Directory,
            HttpPort = port,
            Log = new TestOutputWriter(output),
            Settings = new Dictionary<string, string>(DurableStorage.Settings(DurableStorage.NewTaskHub()))
            {
                ["AzureWebJobs.Tick.Disabled"] = "true",
                ["AzureWebJobs.WarmUp.Disabled"] = "true",
                ["WorkQueue"] = "unused",
                ["AzureWebJobs.Work.Disabled"] = "true",
                ["TickSchedule"] = "0 0 0 1 1 *",
            },
        });

        // From the moment the port answers until the start is over, a [DurableClient] function, and any other (the
        // app's health check is one), is refused for now: never run half-ready (it answered 500 then).
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/") };
        var early = new List<string>();
        while (!starting.IsCompleted)
        {
            foreach (var request in new Func<HttpRequestMessage>[]
                     {
                         () => new HttpRequestMessage(HttpMethod.Post, "api/greetings/Early?wait=60"),
                         () => new HttpRequestMessage(HttpMethod.Get, "api/Ping"),
                     })
            {
                try
                {
                    using var response = await http.SendAsync(request());
                    early.Add(response.StatusCode == HttpStatusCode.ServiceUnavailable
                        ? $"503 {response.Content.Headers.ContentType?.MediaType} Retry-After={response.Headers.RetryAfter}"
                        : $"{(int)response.StatusCode}");
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(20);
        }

        await using var host = await starting;
        output.WriteLine($"{early.Count} answers while starting: {string.Join(", ", early.Distinct())}");
        // The last requests may be answered once it is ready; none before that, and none fails.
        const string NotYet = "503 application/problem+json Retry-After=1";
        Assert.Contains(NotYet, early);
        Assert.All(early, answer => Assert.Contains(answer, new[] { NotYet, "202", "200" }));
        Assert.DoesNotContain(NotYet, early.SkipWhile(answer => answer == NotYet));

        // Started: served.
        using var started = await http.PostAsync("api/greetings/Later?wait=60", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        using var ping = await http.GetAsync("api/Ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
