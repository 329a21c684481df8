using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Atlas.Testing;

/// <summary>
/// The storage every integration test talks to: the connection string in ATLAS_TEST_STORAGE when it is set,
/// otherwise one Azurite started for this test run, in memory, on ports the OS picks, and stopped at exit.
/// Tests share it and keep apart by giving every table and queue name a prefix of their own.
/// </summary>
public static partial class Azurite
{
    public const string ConnectionStringVariable = "ATLAS_TEST_STORAGE";

    /// <summary>Azurite's well-known development account; the key is public by design.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    public const string DevelopmentKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static Process? _process;

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
                     "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--inMemoryPersistence", "--loose",
                     "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
                 })
        {
            start.ArgumentList.Add(argument);
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
