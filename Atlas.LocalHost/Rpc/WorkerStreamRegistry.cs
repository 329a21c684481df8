using System.Collections.Concurrent;

namespace Atlas.LocalHost.Rpc;

/// <summary>
/// Pairs an incoming EventStream with the worker process that was started for it: the host announces a
/// worker id before launching, and the worker's StartStream carries the same id back.
/// </summary>
internal sealed class WorkerStreamRegistry
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WorkerChannel>> _expected = new();

    public Task<WorkerChannel> ExpectAsync(string workerId)
    {
        var connected = new TaskCompletionSource<WorkerChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        _expected[workerId] = connected;
        return connected.Task;
    }

    public void Forget(string workerId) => _expected.TryRemove(workerId, out _);

    /// <summary>False for a worker nobody started (or gave up on): its stream is refused.</summary>
    public bool TryConnect(WorkerChannel channel) =>
        _expected.TryRemove(channel.WorkerId, out var connected) && connected.TrySetResult(channel);
}
