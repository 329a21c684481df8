using Atlas.Testing;
using Azure.Storage.Queues;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>Azurite plus the local host running the sample worker on an OS-chosen port.</summary>
public class HostFixture : IAsyncLifetime
{
    private StreamWriter? _logFile;

    public FunctionsHost Host { get; private set; } = null!;

    public LogCapture Log { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>A fresh queue name per fixture, reached by the worker through the %WorkQueue% setting.</summary>
    public string WorkQueue { get; } = $"work-{Guid.NewGuid():N}"[..20];

    public TimeSpan HostStart { get; private set; }

    public async Task InitializeAsync()
    {
        await Queue(WorkQueue).CreateIfNotExistsAsync();

        // The whole log also goes to a file beside the test assembly, for reading after a failure.
        _logFile = new StreamWriter(Path.Combine(AppContext.BaseDirectory, $"host-{GetType().Name}.log")) { AutoFlush = true };
        Log = new LogCapture(_logFile);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = SampleWorkerApp.Directory,
            HttpPort = 0,
            Log = Log,
            Settings = Settings(),
        });
        HostStart = started.Elapsed;
        Http = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        await (_logFile?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    /// <summary>A client that writes messages the way the Functions trigger reads them by default (base64).</summary>
    public QueueClient Queue(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = encoding });

    /// <summary>The fixture's own Durable task hub, so hosts running side by side never share one.</summary>
    public string TaskHub { get; } = DurableStorage.NewTaskHub();

    protected virtual Dictionary<string, string> Settings() => new(DurableStorage.Settings(TaskHub))
    {
        ["WorkQueue"] = WorkQueue,
        ["TickSchedule"] = "*/2 * * * * *",
    };
}
