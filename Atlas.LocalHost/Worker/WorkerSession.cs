using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Worker;

/// <summary>A started worker that has loaded its functions and accepts invocations.</summary>
internal sealed class WorkerSession(
    RunningWorker instance,
    WorkerChannel channel,
    Uri? httpUri,
    IReadOnlyList<FunctionDescriptor> functions,
    WorkerStartTimings timings) : IAsyncDisposable
{
    private readonly Dictionary<string, FunctionDescriptor> _byName =
        functions.ToDictionary(function => function.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The worker as run: a child process, or an in-process run.</summary>
    public RunningWorker Instance { get; } = instance;

    public WorkerChannel Channel { get; } = channel;

    /// <summary>The worker's own Kestrel (the <c>HttpUri</c> capability); null without the ASP.NET Core integration.</summary>
    public Uri? HttpUri { get; } = httpUri;

    public IReadOnlyList<FunctionDescriptor> Functions { get; } = functions;

    public WorkerStartTimings Timings { get; } = timings;

    public bool IsAlive => !Channel.IsClosed && !Instance.HasExited;

    /// <summary>Function ids are the worker's; look them up by name so a restarted worker may number differently.</summary>
    public FunctionDescriptor? Find(string functionName) => _byName.GetValueOrDefault(functionName);

    /// <summary>Asks the worker to exit (it answers WorkerTerminate by stopping), then makes sure it has.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsAlive)
        {
            try
            {
                Channel.Send(new StreamingMessage
                {
                    WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
                });
            }
            catch (WorkerUnavailableException)
            {
                // The stream is already gone; the kill below still applies.
            }
        }

        await Instance.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Channel.Close(new WorkerUnavailableException("The worker was stopped."));
        Instance.Dispose();
    }
}
