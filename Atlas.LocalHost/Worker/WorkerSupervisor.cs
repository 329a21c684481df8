using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Worker;

/// <summary>
/// Keeps one worker running: watches the process, and when it exits unasked fails what it had in flight,
/// starts a new one and reloads the functions. Callers wait through a restart instead of failing.
/// </summary>
internal sealed class WorkerSupervisor(WorkerLauncher launcher, HostLog log) : IAsyncDisposable
{
    private const string Category = "Host.Worker";
    private static readonly TimeSpan[] RestartDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<WorkerSession> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerSession? _current;
    private Task _watching = Task.CompletedTask;

    /// <summary>Raised after a replacement worker has loaded its functions.</summary>
    public event Action<WorkerSession>? Restarted;

    /// <summary>The running worker, or null while none is.</summary>
    public WorkerSession? Current => Volatile.Read(ref _current) is { IsAlive: true } session ? session : null;

    public async Task<WorkerSession> StartAsync(CancellationToken cancellationToken)
    {
        var session = await launcher.StartAsync(cancellationToken).ConfigureAwait(false);
        Publish(session);
        _watching = WatchAsync(session);
        return session;
    }

    /// <summary>Returns a live worker, waiting while one (re)starts.</summary>
    public async Task<WorkerSession> GetWorkerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = await Volatile.Read(ref _ready).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (session.IsAlive)
            {
                return session;
            }

            // The process is gone but the watcher has not swapped in the restart yet: wait for it to.
            await Task.WhenAny(session.Instance.Exited, session.Channel.Closed).WaitAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _ready.TrySetCanceled();
        await _watching.ConfigureAwait(false);
        if (Interlocked.Exchange(ref _current, null) is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Publish(WorkerSession session)
    {
        Volatile.Write(ref _current, session);
        _ready.TrySetResult(session);
    }

    private async Task WatchAsync(WorkerSession session)
    {
        while (true)
        {
            await Task.WhenAny(session.Instance.Exited, Task.Delay(Timeout.Infinite, _stopping.Token)).ConfigureAwait(false);
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            log.Error(Category, $"Worker {session.Instance.Id} exited with code {session.Instance.Exited.Result}; restarting it.");

            // New callers wait for the replacement; only then fail the invocations the old worker held.
            Volatile.Write(ref _ready, new TaskCompletionSource<WorkerSession>(TaskCreationOptions.RunContinuationsAsynchronously));
            session.Channel.Close(new WorkerUnavailableException($"Worker {session.Instance.Id} exited."));
            await session.DisposeAsync().ConfigureAwait(false);

            var replacement = await RestartAsync().ConfigureAwait(false);
            if (replacement is null)
            {
                return;
            }

            Publish(replacement);
            Restarted?.Invoke(replacement);
            session = replacement;
        }
    }

    private async Task<WorkerSession?> RestartAsync()
    {
        // Not an outside call: the host starts its own worker process again, as the Functions host does, until stopped.
        for (var attempt = 0; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(RestartDelays[Math.Min(attempt, RestartDelays.Length - 1)], _stopping.Token).ConfigureAwait(false);
                return await launcher.StartAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (InvalidOperationException exception)
            {
                log.Error(Category, $"Restarting the worker failed (attempt {attempt + 1}).", exception);
            }
        }

        return null;
    }
}
