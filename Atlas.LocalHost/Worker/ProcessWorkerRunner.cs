using System.Diagnostics;

namespace Atlas.LocalHost.Worker;

/// <summary>
/// Runs the worker as Azure does: <c>dotnet &lt;App&gt;.dll --functions-...</c> in the app's folder. The worker dies with
/// this host as it dies with its sandbox in Azure: it is started with the lifeline startup hook
/// (Atlas.LocalHost.Lifeline), which kills it when the pipe on its stdin, held open by this process alone, closes.
/// </summary>
public sealed class ProcessWorkerRunner : WorkerRunner
{
    private const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    // Copied beside this assembly by the project reference.
    private static readonly string LifelineHook =
        Path.Combine(Path.GetDirectoryName(typeof(ProcessWorkerRunner).Assembly.Location)!, "Atlas.LocalHost.Lifeline.dll");

    public override RunningWorker Start(WorkerLaunch launch, WorkerOutput output)
    {
        ArgumentNullException.ThrowIfNull(launch);

        var start = new ProcessStartInfo(DotnetHostPath())
        {
            WorkingDirectory = launch.AppDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,

            // The lifeline: never written to, closed by the OS when this process goes, however it goes.
            RedirectStandardInput = true,
        };

        start.ArgumentList.Add(launch.AssemblyPath);
        foreach (var argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment)
        {
            start.Environment[name] = value;
        }

        // After the app's own hooks, if it has any.
        start.Environment[StartupHooksVariable] = start.Environment.TryGetValue(StartupHooksVariable, out var hooks) && !string.IsNullOrEmpty(hooks)
            ? $"{hooks}{Path.PathSeparator}{LifelineHook}"
            : LifelineHook;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new ChildProcess(process);
        process.OutputDataReceived += (_, line) => Echo(output, line.Data, isError: false);
        process.ErrorDataReceived += (_, line) => Echo(output, line.Data, isError: true);

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    // Under `dotnet test` / `dotnet run` the SDK says which muxer it runs; otherwise take the one on PATH.
    private static string DotnetHostPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private static void Echo(WorkerOutput output, string? line, bool isError)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            output(line, isError);
        }
    }

    private sealed class ChildProcess : RunningWorker
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ChildProcess(Process process)
        {
            _process = process;
            _process.Exited += (_, _) => _exited.TrySetResult(_process.ExitCode);
        }

        public override int Id => _process.Id;

        public override Task<int> Exited => _exited.Task;

        public override void Kill()
        {
            WasKilled = true;
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _process.Dispose();
            }
        }
    }
}
