using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>
/// Atlas.LocalHost as <c>./atlas run</c> runs it: <c>dotnet Atlas.LocalHost.dll --app …</c>, a process of its own with
/// the sample worker as its child, its settings from a local.settings.json file.
/// </summary>
public sealed partial class HostProcess : IDisposable
{
    private static readonly string Directory =
        typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "LocalHostDirectory").Value!;

    private readonly Process _process;
    private readonly string _settingsFile;

    private HostProcess(Process process, string settingsFile, LogCapture log)
    {
        _process = process;
        _settingsFile = settingsFile;
        Log = log;
    }

    /// <summary>What the host printed, stdout and stderr.</summary>
    public LogCapture Log { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The first worker the host started.</summary>
    public int WorkerProcessId { get; private set; }

    public int Id => _process.Id;

    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TextWriter echo, TimeSpan timeout)
    {
        var settingsFile = Path.Combine(Path.GetTempPath(), $"atlas-host-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new { Values = settings }));

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            WorkingDirectory = Directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "Atlas.LocalHost.dll", "--app", SampleWorkerApp.Directory, "--port", "0", "--settings", settingsFile })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new LogCapture(echo);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new HostProcess(process, settingsFile, log);
        try
        {
            var listening = await log.WaitForAsync(line => line.StartsWith("Listening on ", StringComparison.Ordinal), timeout);
            host.BaseAddress = new Uri(ListeningOn().Match(listening[0]).Groups[1].Value);
            var started = log.Lines.Select(line => StartedWorker().Match(line)).First(match => match.Success);
            host.WorkerProcessId = int.Parse(started.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL (TerminateProcess on Windows): the host runs none of its own code on the way out.</summary>
    public void Kill() => _process.Kill();

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>Whether the process with this id is still running (a zombie, dead but not yet reaped, is not).</summary>
    public static bool IsRunning(int processId)
    {
        var stat = $"/proc/{processId}/stat";
        if (System.IO.Directory.Exists("/proc"))
        {
            try
            {
                // "pid (comm) S ...": the state follows the last parenthesis; Z and X are the dead.
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..][0];
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        File.Delete(_settingsFile);
    }

    private static void Write(LogCapture log, string? line)
    {
        if (line is not null)
        {
            log.WriteLine(line);
        }
    }

    [GeneratedRegex(@"^Listening on (\S+?)\.? ")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"Started worker (\d+) \(")]
    private static partial Regex StartedWorker();
}
