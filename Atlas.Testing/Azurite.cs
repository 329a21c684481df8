using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Atlas.Testing;

/// <summary>
/// The storage every integration test talks to: the connection string in ATLAS_TEST_STORAGE when it is set,
/// otherwise one Azurite started for this test run, in memory, on ports the OS picks, and stopped at exit.
/// Tests share it and keep apart by giving every table and queue name a prefix of their own.
/// For the benchmarks (with ATLAS_AZURITE_LOCATION) Azurite's blob, queue and table services run as three processes
/// (its <c>azurite-blob</c>, <c>azurite-queue</c> and <c>azurite-table</c>), each on a Node thread of its own, as
/// Azure's services are apart: in one process the three share one thread, and under a benchmark's load that thread was
/// the bound (docs/benchmarks.md, issue 21, sixth stop). The tests keep one process, in memory.
/// With ATLAS_AZURITE_LOCATION (the benchmarks set /dev/shm) the queue and blob services keep their files in a fresh
/// folder there instead of the in-memory store, which holds each queue message as an extent of its own and sweeps the
/// deleted ones once a minute with an index rebuild per extent: under a benchmark's load that sweep stops Azurite for
/// tens of seconds (docs/benchmarks.md, issue 21).
/// </summary>
public static partial class Azurite
{
    public const string ConnectionStringVariable = "ATLAS_TEST_STORAGE";

    public const string LocationVariable = "ATLAS_AZURITE_LOCATION";

    /// <summary>Azurite's well-known development account; the key is public by design.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    public const string DevelopmentKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly string[] Services = ["Blob", "Queue", "Table"];

    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly List<Process> Processes = [];
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

        var bin = Path.Combine(RepositoryRoot(), "node_modules", ".bin");
        if (!File.Exists(Path.Combine(bin, "azurite-table")))
        {
            throw new InvalidOperationException($"Azurite is not installed in {bin}: run `npm ci` in the repository root (the README's test command does).");
        }

        if (Environment.GetEnvironmentVariable(LocationVariable) is { Length: > 0 } under)
        {
            _location = Directory.CreateDirectory(Path.Combine(under, "atlas-azurite-" + Guid.NewGuid().ToString("N")[..10])).FullName;
        }

        // One process on port 0 says which ports the OS gave it. A service alone says only the port it was given, so
        // apart, each is given one the OS just handed out.
        var assigned = Services.ToDictionary(service => service, _ => _location is null ? 0 : FreePort());
        var ports = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        // The benchmarks' Azurite (with a location) runs a process per service; the tests', one in memory.
        string[][] processes = _location is null ? [Services] : [.. Services.Select(service => new[] { service })];
        foreach (var services in processes)
        {
            var process = new Process { StartInfo = StartInfo(bin, services, assigned) };
            process.OutputDataReceived += (_, e) => Watch(e.Data);
            process.ErrorDataReceived += (_, e) => Watch(e.Data);
            process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited: " + string.Join('\n', output)));
            process.EnableRaisingEvents = true;
            lock (Processes)
            {
                Processes.Add(process);
            }

            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        if (!ready.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            Stop();
            throw new InvalidOperationException("Azurite did not start within 60 s: " + string.Join('\n', output));
        }

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
                if (Services.All(ports.ContainsKey))
                {
                    ready.TrySetResult();
                }
            }
        }

        return $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccount};AccountKey={DevelopmentKey};"
            + $"BlobEndpoint=http://127.0.0.1:{ports["Blob"]}/{DevelopmentAccount};"
            + $"QueueEndpoint=http://127.0.0.1:{ports["Queue"]}/{DevelopmentAccount};"
            + $"TableEndpoint=http://127.0.0.1:{ports["Table"]}/{DevelopmentAccount};";
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(string bin, string[] services, Dictionary<string, int> ports)
    {
        var alone = services.Length == 1 ? services[0].ToLowerInvariant() : null;
        var start = new ProcessStartInfo(Path.Combine(bin, alone is null ? "azurite" : "azurite-" + alone))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Silent: no access log line per request (each would cost Azurite and this process CPU).
        foreach (var argument in new[] { "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var service in services)
        {
            start.ArgumentList.Add($"--{service.ToLowerInvariant()}Port");
            start.ArgumentList.Add(ports[service].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Tables in memory even with a location: on files Azurite serialises the whole table store every 5 s on its
        // one thread (12 MB by the end of a rides run), and tables keep no extents for a sweep to stall on.
        if (_location is not null && alone is not null and not "table")
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(Directory.CreateDirectory(Path.Combine(_location, alone)).FullName);
        }
        else
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }

        return start;
    }

    private static void Stop()
    {
        Process[] running;
        lock (Processes)
        {
            running = [.. Processes];
        }

        foreach (var process in running)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        if (_location is not null && Directory.Exists(_location))
        {
            foreach (var process in running)
            {
                process.WaitForExit(5_000);
            }

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

    // One process says "is successfully listening at http://…:port"; a service alone "successfully started on …:port"
    // (table) or "successfully listens on http://…:port".
    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service (is )?successfully (started on|listens on|listening at) (http://)?[^:\s]+:(?<port>\d+)")]
    private static partial Regex Listening();
}
