using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Atlas.LocalHost.Worker;
using Microsoft.Extensions.Hosting;

namespace Atlas.LocalHost.InProcess;

/// <summary>
/// Runs the worker app inside the calling (test) process, the way WebApplicationFactory runs an ASP.NET Core
/// Program: its entry point is called on a thread of its own, and the "HostBuilding" event that
/// HostApplicationBuilder raises lets the caller change the worker's services before its host is built.
/// </summary>
/// <remarks>
/// Process-wide by nature, so one worker at a time per process: the worker reads FUNCTIONS_APPLICATION_DIRECTORY
/// and its settings from environment variables, finds its generated startup code through
/// Assembly.GetEntryAssembly(), and picks its own Kestrel port once per process (a static in the ASP.NET Core
/// extension). <see cref="RunningWorker.Kill"/> stops the worker's host abruptly; it cannot crash a process.
/// </remarks>
public sealed class InProcessWorkerRunner(Action<IHostBuilder> configure) : WorkerRunner
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private static readonly ConcurrentDictionary<string, bool> ResolvingDirectories = new(StringComparer.Ordinal);

    /// <summary>The worker this runner started last.</summary>
    public RunningWorker? Current { get; private set; }

    /// <summary>The services of the worker this runner started last: what its functions are given.</summary>
    public IServiceProvider Services =>
        (Current as InProcessWorker)?.Host?.Services ?? throw new InvalidOperationException("No in-process worker has been built yet.");

    public override RunningWorker Start(WorkerLaunch launch, WorkerOutput output)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (!OneAtATime.Wait(TimeSpan.Zero))
        {
            throw new InvalidOperationException("Another in-process worker is running in this process.");
        }

        // Environment variables and the entry assembly are the process's: set them for this run and put them
        // back after it, or the app's settings (AzureWebJobs.X.Disabled, ...) would leak into later workers.
        var previousEnvironment = launch.Environment.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        var previousEntryAssembly = Assembly.GetEntryAssembly();
        void Restore()
        {
            foreach (var (name, value) in previousEnvironment)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            Assembly.SetEntryAssembly(previousEntryAssembly);
            OneAtATime.Release();
        }

        try
        {
            foreach (var (name, value) in launch.Environment)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var app = LoadApp(launch.AssemblyPath);

            // The worker looks for its source-generated metadata provider, function executor and extension
            // startup code on the entry assembly; in a test process that would be the test host.
            Assembly.SetEntryAssembly(app);
            Current = InProcessWorker.Start(app, launch, configure, output, Restore);
            return Current;
        }
        catch
        {
            Restore();
            throw;
        }
    }

    private static Assembly LoadApp(string assemblyPath)
    {
        // A test that references the app (to use its types) has loaded it already: that copy is the one to run, or the
        // types the test registers would not be the types the app asks for.
        var name = AssemblyName.GetAssemblyName(assemblyPath).Name;
        if (AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name) is { } loaded)
        {
            return loaded;
        }

        // The app's dependencies (Microsoft.Azure.Functions.Worker.*, ...) come from its own bin folder unless
        // the calling process already has them.
        var appDirectory = Path.GetDirectoryName(assemblyPath)!;
        if (ResolvingDirectories.TryAdd(appDirectory, true))
        {
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                var candidate = Path.Combine(appDirectory, name.Name + ".dll");
                return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
            };
        }

        // The worker loads this path again when it binds functions; the default context hands back this copy.
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
    }
}
