using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Atlas.Testing;

/// <summary>
/// The storage every integration test talks to: the connection string in ATLAS_TEST_STORAGE when it is set,
/// otherwise one Azurite started for this test run, in memory, on ports the OS picks, and stopped at exit.
/// Tests share it and keep apart by giving every table and queue name a prefix of their own.
/// With ATLAS_AZURITE_LOCATION (the benchmarks set /dev/shm) Azurite keeps its files in a fresh folder there instead of
/// its in-memory store, which holds each queue message as an extent of its own and sweeps the deleted ones once a
/// minute with an index rebuild per extent: under a benchmark's load that sweep stops Azurite for tens of seconds
/// (docs/benchmarks.md, issue 21).
/// </summary>
public static partial class Azurite
{
    public const string ConnectionStringVariable = "ATLAS_TEST_STORAGE";

    public const string LocationVariable = "ATLAS_AZURITE_LOCATION";

    /// <summary>Azurite's well-known development account; the key is public by design.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    public const string DevelopmentKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static Process? _process;
    private static string? _location;

    public static string ConnectionString => Started.Value;

    /// <summary>A fresh name prefix: tables and queues under it belong to one test.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } given)
        {
            return given;
        }

        var executable = Path.Combine(RepositoryRoot(), "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run `npm ci` in the repository root (the README's test command does).");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     // Silent: no access log line per request (each would cost Azurite and this process CPU).
                     "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        if (Environment.GetEnvironmentVariable(LocationVariable) is { Length: > 0 } under)
        {
            _location = Directory.CreateDirectory(Path.Combine(under, "atlas-azurite-" + Guid.NewGuid().ToString("N")[..10])).FullName;
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_location);
        }
        else
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }

        _process = new Process { StartInfo = start };

        // Azurite says where each service listens once it does; port 0 lets the OS choose free ones.
        var ports = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, e) => Watch(e.Data);
        _process.ErrorDataReceived += (_, e) => Watch(e.Data);
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited: " + string.Join('\n', output)));
        _process.EnableRaisingEvents = true;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        if (!ready.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            Stop();
            throw new InvalidOperationException("Azurite did not start within 60 s: " + string.Join('\n', output));
        }

        var blobPort = ports["Blob"];
        var queuePort = ports["Queue"];
        var tablePort = ports["Table"];

        void Watch(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (Listening().Match(line) is { Success: true } match)
            {
                ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (ports.ContainsKey("Blob") && ports.ContainsKey("Queue") && ports.ContainsKey("Table"))
                {
                    ready.TrySetResult();
                }
            }
        }

        return $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccount};AccountKey={DevelopmentKey};"
            + $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccount};"
            + $"QueueEndpoint=http://127.0.0.1:{queuePort}/{DevelopmentAccount};"
            + $"TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccount};";
    }

    private static void Stop()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        if (_location is not null && Directory.Exists(_location))
        {
            _process?.WaitForExit(5_000);
            Directory.Delete(_location, recursive: true);
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Atlas.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Atlas.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex Listening();
}
