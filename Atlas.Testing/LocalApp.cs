using System.Reflection;
using Atlas.LocalHost;
using Atlas.LocalHost.InProcess;

namespace Atlas.Testing;

/// <summary>
/// Atlas as it runs in Azure, run here: the worker's build output under the local Functions host, the worker in this
/// process (so a test can replace its services: a clock, a decorator that injects faults) and HTTP over loopback.
/// The worker is process-wide state (environment, its web server's port): one at a time per process.
/// </summary>
public sealed class LocalApp : IAsyncDisposable
{
    private readonly FunctionsHost _host;
    private readonly InProcessWorkerRunner _runner;

    private LocalApp(FunctionsHost host, InProcessWorkerRunner runner)
    {
        _host = host;
        _runner = runner;
    }

    /// <summary>Atlas.Functions' build output: what the host runs.</summary>
    public static string AppDirectory { get; } = typeof(LocalApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AtlasFunctionsDirectory").Value!;

    /// <summary><c>http://localhost:&lt;port&gt;/</c>; functions are under <c>api/</c>.</summary>
    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>The worker's services: what its functions are given.</summary>
    public IServiceProvider Services => _runner.Services;

    public FunctionsHost Host => _host;

    /// <param name="runTriggers">Whether queues are polled and timers fire on their own; off, the caller runs them
    /// (<see cref="FunctionsHost.PumpQueuesAsync"/>, <see cref="FunctionsHost.FireTimerAsync"/>).</param>
    /// <param name="httpPort">0 for any free port; a port to come back on after a restart.</param>
    public static async Task<LocalApp> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> settings,
        string environment = "Development",
        Action<IServiceCollection>? services = null,
        bool runTriggers = false,
        TextWriter? log = null,
        int httpPort = 0)
    {
        var runner = new InProcessWorkerRunner(builder => builder.ConfigureServices(s => services?.Invoke(s)));
        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = AppDirectory,
            HttpPort = httpPort,
            Settings = settings.Where(s => s.Value is not null).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value!),
            EnvironmentName = environment,
            WorkerRunner = runner,
            RunTriggers = runTriggers,
            Log = log ?? TextWriter.Null,
        });
        return new LocalApp(host, runner);
    }

    /// <summary>Stops the worker abruptly, as a crash would (its invocations fail, its Durable work items are not
    /// completed), and waits for the host to start the next one.</summary>
    public async Task KillWorkerAsync()
    {
        var restarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.WorkerRestarted += restarted.SetResult;
        try
        {
            (_runner.Current ?? throw new InvalidOperationException("No worker is running.")).Kill();
            await restarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            _host.WorkerRestarted -= restarted.SetResult;
        }
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
