using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Testing;

namespace Atlas.Benchmarks;

/// <summary>
/// What each process spends on a request when Atlas runs as <c>./atlas run</c> runs it: the local Functions host
/// and the worker each a process of their own, the load from this one. Either it starts them (on the benchmark's
/// Azurite) or it measures an app already running (<c>--target</c> its API, <c>--pids</c> its processes: how the
/// custom-handler app of before issue 12 was measured against the same load).
/// </summary>
public sealed partial class HopBench : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly Process? _host;
    private int _phones = Random.Shared.Next(10_000_000);

    private HopBench(Uri api, IReadOnlyList<(string Name, int Pid)> processes, Process? host)
    {
        _client = new HttpClient { BaseAddress = api };
        _processes = processes;
        _host = host;
    }

    public static HopBench Attach(Uri api, IEnumerable<int> pids) =>
        new(api, [.. pids.Select(pid => (Process.GetProcessById(pid).ProcessName, pid))], null);

    /// <summary>Starts Atlas.LocalHost (Release) on a free port over Atlas.Functions' Release build, the worker a
    /// child of the host, as <c>./atlas run</c> does.</summary>
    public static async Task<HopBench> StartAsync()
    {
        var settingsFile = Path.GetTempFileName();
        var values = TestSettings.For(Azurite.NewPrefix());
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new { Values = values }));

        var port = FreePort();
        var localHost = Path.Combine(Azurite.RepositoryRoot(), "Atlas.LocalHost", "bin", "Release", "net10.0", "Atlas.LocalHost.dll");
        var host = Process.Start(new ProcessStartInfo("dotnet", [localHost, "--app", LocalApp.AppDirectory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--settings", settingsFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        host.ErrorDataReceived += (_, _) => { };
        host.BeginErrorReadLine();

        var worker = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            if (StartedWorker().Match(line.Data) is { Success: true } started)
            {
                worker.TrySetResult(int.Parse(started.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            if (line.Data.StartsWith("Listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        host.BeginOutputReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return new HopBench(new Uri($"http://127.0.0.1:{port}/api/"), [("host", host.Id), ("worker", await worker.Task)], host);
    }

    /// <summary>Requests from <paramref name="inFlight"/> loops for <paramref name="duration"/>, after a second of warm-up:
    /// requests/s, latency, and each process's CPU per request.</summary>
    public async Task<string> MeasureAsync(int inFlight, TimeSpan duration, Func<HttpClient, int, Task<HttpResponseMessage>> request, HttpStatusCode expected)
    {
        await Measure.ThroughputAsync(inFlight, TimeSpan.FromSeconds(1), i => SendAsync(request, i, expected, null));
        var latencies = new ConcurrentBag<double>();
        var before = _processes.Select(p => Process.GetProcessById(p.Pid).TotalProcessorTime).ToList();
        var perSecond = await Measure.ThroughputAsync(inFlight, duration, i => SendAsync(request, i, expected, latencies));
        var after = _processes.Select(p => Process.GetProcessById(p.Pid).TotalProcessorTime).ToList();

        var count = latencies.Count;
        var sorted = latencies.Order().ToList();
        var cpu = string.Join(", ", _processes.Select((p, i) => $"{p.Name} {(after[i] - before[i]).TotalMilliseconds / count:F2} ms"));
        return $"{perSecond:F0} requests/s, p50 {Measure.Percentile(sorted, 50):F1} ms, p99 {Measure.Percentile(sorted, 99):F1} ms; CPU per request: {cpu}";
    }

    /// <summary>POST /api/auth/otp for a new phone: a sign-in challenge started (its text goes out through the queue).</summary>
    public Task<HttpResponseMessage> StartSignInAsync(HttpClient client, int _) =>
        client.PostAsJsonAsync("auth/otp", new { phone = $"+1333{Interlocked.Increment(ref _phones) % 10_000_000:D7}" });

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_host is not null)
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
            _host.Dispose();
        }
    }

    private async Task SendAsync(Func<HttpClient, int, Task<HttpResponseMessage>> request, int i, HttpStatusCode expected, ConcurrentBag<double>? latencies)
    {
        var watch = Stopwatch.StartNew();
        using var response = await request(_client, i);
        latencies?.Add(watch.Elapsed.TotalMilliseconds);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Started worker (\d+)")]
    private static partial Regex StartedWorker();
}
