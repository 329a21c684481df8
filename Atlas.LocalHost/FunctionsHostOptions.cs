using Atlas.LocalHost.Worker;

namespace Atlas.LocalHost;

/// <summary>What the local host needs to run one isolated worker app.</summary>
public sealed class FunctionsHostOptions
{
    /// <summary>The app's build output: the folder with worker.config.json, the app's dll and host.json.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Port for HTTP triggers on localhost; 0 lets the OS choose (see <see cref="FunctionsHost.BaseAddress"/>).</summary>
    public int HttpPort { get; init; } = 7071;

    /// <summary>
    /// The app's settings, as in local.settings.json's <c>Values</c>: the worker gets them as environment
    /// variables, and they resolve <c>%Setting%</c> references and connection names.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>AZURE_FUNCTIONS_ENVIRONMENT for the worker.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Where host and worker log lines go.</summary>
    public TextWriter Log { get; init; } = Console.Out;

    /// <summary>The clock timer triggers and queue polling run on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How the worker is run; a child process unless a test supplies another way.</summary>
    public WorkerRunner WorkerRunner { get; init; } = new ProcessWorkerRunner();

    /// <summary>
    /// Whether queue triggers poll and timers fire on their own (as <c>func start</c> does). A test that moves its
    /// own clock turns them off and runs them when it wants: <see cref="FunctionsHost.PumpQueuesAsync"/>,
    /// <see cref="FunctionsHost.FireTimerAsync"/>.
    /// </summary>
    public bool RunTriggers { get; init; } = true;

    /// <summary>How long a worker may take from launch to having loaded its functions.</summary>
    public TimeSpan WorkerStartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
