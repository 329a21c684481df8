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
    /// <remarks>One query of the running flows per look (not a poll per flow): the waiting costs the engine's
    /// storage little, so a benchmark that wakes hundreds of flows measures the flows, not the waking.</remarks>
    /// <param name="armedSince">Only flows started since (engine time): a caller that knows which deadlines it moved the
    /// clock past spares the query the flows still waiting on later ones.</param>
    public static async Task<int> WakeAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken ct = default, DateTimeOffset? armedSince = null)
    {
        var woken = new HashSet<string>(StringComparer.Ordinal);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var due = await DueFlowsAsync(durable, now, armedSince, ct);
            if (due.Count == 0)
            {
                break;
            }

            // An event raised before a flow's first episode has run could be dropped: only running ones are woken.
            var ready = due.Where(f => f.RuntimeStatus == OrchestrationRuntimeStatus.Running && woken.Add(f.InstanceId)).ToList();
            await Task.WhenAll(ready.Select(f => RaiseAsync(durable, f.InstanceId, ct)));
            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"Deadline flows still running after {Patience}: {string.Join(", ", due.Select(f => $"{f.InstanceId} {f.RuntimeStatus}"))}");
            }

            await Task.Delay(Poll, ct);
        }

        foreach (var id in woken)
        {
            var done = await durable.GetInstanceAsync(id, getInputsAndOutputs: true, ct);
            if (done is not { RuntimeStatus: OrchestrationRuntimeStatus.Completed })
            {
                throw new InvalidOperationException(
                    $"Deadline flow {id} ended {done?.RuntimeStatus}: {done?.FailureDetails?.ErrorType} {done?.FailureDetails?.ErrorMessage} {done?.FailureDetails?.StackTrace}");
            }
        }

        return woken.Count;
    }

    private static async Task<List<OrchestrationMetadata>> DueFlowsAsync(DurableTaskClient durable, DateTimeOffset now, DateTimeOffset? armedSince, CancellationToken ct)
    {
        var query = new OrchestrationQuery
        {
            CreatedFrom = armedSince,
            InstanceIdPrefix = DeadlineFlow.InstancePrefix,
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
            PageSize = 1000,
        };
        var due = new List<OrchestrationMetadata>();
        await foreach (var flow in durable.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (DeadlineFlow.DeadlineOf(flow.InstanceId) <= now)
            {
                due.Add(flow);
            }
        }

        return due;
    }

    private static async Task RaiseAsync(DurableTaskClient durable, string instanceId, CancellationToken ct)
    {
        try
        {
            await durable.RaiseEventAsync(instanceId, DeadlineFlow.WakeEvent, null, ct);
        }
        catch (Grpc.Core.RpcException)
        {
            // Refused if the flow has finished since: another waker got there first (its outcome is checked after).
        }
    }
}
