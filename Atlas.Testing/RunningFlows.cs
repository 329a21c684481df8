using Microsoft.DurableTask.Client;

namespace Atlas.Testing;

/// <summary>Waits for orchestrations that run on their own (a Stripe step, say) to finish, as a test waits for a queue
/// to empty: on the thing itself, with a deadline.</summary>
public static class RunningFlows
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Waits until no flow whose id starts with <paramref name="prefix"/> is pending or running; throws if
    /// one ended failed. Returns how many were running at the first look.</summary>
    public static async Task<int> FinishAsync(DurableTaskClient durable, string prefix, CancellationToken ct = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var first = -1;
        while (true)
        {
            var running = await ListAsync(durable, prefix, [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running], ct);
            first = first < 0 ? running.Count : first;
            seen.UnionWith(running.Select(f => f.InstanceId));
            if (running.Count == 0)
            {
                break;
            }

            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"Flows still running after {Patience}: {string.Join(", ", running.Select(f => f.InstanceId))}");
            }

            await Task.Delay(Poll, ct);
        }

        foreach (var id in seen)
        {
            if (await durable.GetInstanceAsync(id, getInputsAndOutputs: true, ct) is { RuntimeStatus: not OrchestrationRuntimeStatus.Completed } failed)
            {
                throw new InvalidOperationException($"Flow {id} ended {failed.RuntimeStatus}: {failed.FailureDetails?.ErrorType} {failed.FailureDetails?.ErrorMessage}");
            }
        }

        return first;
    }

    private static async Task<List<OrchestrationMetadata>> ListAsync(
        DurableTaskClient durable, string prefix, IReadOnlyCollection<OrchestrationRuntimeStatus> statuses, CancellationToken ct)
    {
        var flows = new List<OrchestrationMetadata>();
        await foreach (var flow in durable.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = statuses, PageSize = 1000 }).WithCancellation(ct))
        {
            flows.Add(flow);
        }

        return flows;
    }
}
