using System.Diagnostics;
using Atlas.LocalHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Atlas.LocalHost.Tests;

/// <summary>Not a benchmark: records start-up and per-request cost in the test output, with loose bounds.</summary>
[Collection(HostCollection.Name)]
public sealed class TimingTests(HostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Requests_through_the_host_take_milliseconds()
    {
        var http = fixture.Http;
        (await http.GetAsync("api/items/1")).EnsureSuccessStatusCode();

        var sequential = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var clock = Stopwatch.StartNew();
            (await http.GetAsync($"api/items/{i}")).EnsureSuccessStatusCode();
            sequential.Add(clock.Elapsed.TotalMilliseconds);
        }

        var concurrent = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => http.GetAsync($"api/items/{i}")));
        Assert.All(responses, response => response.EnsureSuccessStatusCode());
        concurrent.Stop();

        sequential.Sort();
        output.WriteLine($"Host start (worker launch to functions loaded): {fixture.Host.FirstWorkerStart}; FunctionsHost.StartAsync {fixture.HostStart.TotalMilliseconds:0} ms");
        output.WriteLine($"Sequential GET: median {sequential[50]:0.0} ms, p95 {sequential[95]:0.0} ms, max {sequential[^1]:0.0} ms");
        output.WriteLine($"20 concurrent GETs: {concurrent.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(sequential[50] < 100, $"median {sequential[50]} ms");
    }
}
