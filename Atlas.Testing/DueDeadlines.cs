using Atlas.Functions.Lifecycles;
using Microsoft.DurableTask.Client;

namespace Atlas.Testing;

/// <summary>
/// What a durable timer does for an app whose clock a test moves (<c>Lifecycles:Timers = Manual</c>): every
/// <see cref="DeadlineFlow"/> whose deadline the clock has passed is woken, and waited for until it has fired.
/// </summary>
public static class DueDeadlines
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Wakes the flows due at <paramref name="now"/> and waits for each to finish; returns how many.</summary>
    public static async Task<int> WakeAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken ct = default)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = DeadlineFlow.InstancePrefix,
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
            PageSize = 1000,
        };
        var due = new List<string>();
        await foreach (var flow in durable.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (DeadlineFlow.DeadlineOf(flow.InstanceId) <= now)
            {
                due.Add(flow.InstanceId);
            }
        }

        await Task.WhenAll(due.Select(id => WakeOneAsync(durable, id, ct)));
        return due.Count;
    }

    private static async Task WakeOneAsync(DurableTaskClient durable, string instanceId, CancellationToken ct)
    {
        // An event raised before the flow's first episode has run could be dropped: wait until it is waiting.
        await WaitForAsync(durable, instanceId, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, ct);
        try
        {
            await durable.RaiseEventAsync(instanceId, DeadlineFlow.WakeEvent, null, ct);
        }
        catch (Grpc.Core.RpcException)
        {
            // Refused if the flow has finished since: another waker got there first (checked below).
        }

        var done = await WaitForAsync(durable, instanceId, m => m.IsCompleted, ct);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            done = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct) ?? done;
            throw new InvalidOperationException(
                $"Deadline flow {instanceId} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorType} {done.FailureDetails?.ErrorMessage} {done.FailureDetails?.StackTrace}");
        }
    }

    private static async Task<OrchestrationMetadata> WaitForAsync(
        DurableTaskClient durable, string instanceId, Func<OrchestrationMetadata, bool> condition, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var flow = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct)
                ?? throw new InvalidOperationException($"Deadline flow {instanceId} is gone.");
            if (condition(flow))
            {
                return flow;
            }

            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"Deadline flow {instanceId} is still {flow.RuntimeStatus} after {Patience}.");
            }

            await Task.Delay(Poll, ct);
        }
    }
}
