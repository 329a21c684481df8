namespace Atlas.LocalHost.Worker;

/// <summary>A line the worker wrote to its console (stderr when <paramref name="isError"/>).</summary>
public delegate void WorkerOutput(string line, bool isError);

/// <summary>Runs a worker from a <see cref="WorkerLaunch"/>: as a child process by default (<see cref="ProcessWorkerRunner"/>).</summary>
public abstract class WorkerRunner
{
    public abstract RunningWorker Start(WorkerLaunch launch, WorkerOutput output);
}

/// <summary>A started worker as the supervisor watches it.</summary>
public abstract class RunningWorker : IDisposable
{
    /// <summary>The process id for a child process; any number that identifies this run otherwise.</summary>
    public abstract int Id { get; }

    /// <summary>Completes with an exit code when the worker has stopped, however it stopped.</summary>
    public abstract Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>Killed: whatever it still answers while it goes is not an answer a crashed worker could have sent.</summary>
    public bool WasKilled { get; protected set; }

    /// <summary>Ends the worker at once (for a crash test, the same as a crash).</summary>
    public abstract void Kill();

    /// <summary>Waits up to <paramref name="grace"/> for the worker to stop by itself (it was sent WorkerTerminate), then kills it.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            await Exited.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await Exited.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
