using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;
using Microsoft.DurableTask.Client;

namespace Atlas.Testing;

/// <summary>
/// What a test that moves the app's clock does for the flows that follow lifecycles. A flow's timers run on the
/// engine's clock, which a test cannot move, so the deadlines the test's clock has passed are fired here, through the
/// same <see cref="DeadlineFiring"/> as a flow's activity (a test-only path beside the flow, not a hook in it: the
/// commit tells the flow as any command does). Then <see cref="BehindAsync"/> says which running flows have yet to hear
/// the deadline and end of an instance they follow, or are making a call (<see cref="SettleAsync"/> waits for none).
/// </summary>
public static class FollowedInstances
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Fires every deadline of a followed instance that <paramref name="now"/> has passed; returns how many.</summary>
    /// <param name="scan">Where to read the instances from, if not the app's store (a benchmark that counts the app's
    /// storage calls reads around its counter).</param>
    /// <param name="only">Only these lifecycles' deadlines (a benchmark that knows which can be due reads less).</param>
    public static async Task<int> FireDueAsync(
        IServiceProvider services, DateTimeOffset now, CancellationToken ct = default, ITableStore? scan = null, IReadOnlyCollection<string>? only = null)
    {
        var firing = services.GetRequiredService<DeadlineFiring>();
        var fired = 0;
        foreach (var (fact, _) in await ReadAsync(services, scan, ct, only))
        {
            if (!fact.Over && fact.Deadline is { } deadline && deadline <= now)
            {
                await firing.FireAsync(fact.Lifecycle, fact.Id, deadline, fact.Trace, flowKnows: false, ct);
                fired++;
            }
        }

        return fired;
    }

    /// <summary>Waits until each running flow knows what its instances wait on and is not busy, for an app whose queue
    /// triggers run on their own; throws if one failed. Returns how many flows it had to wait for.</summary>
    public static async Task<int> SettleAsync(IServiceProvider services, DurableTaskClient durable, CancellationToken ct = default, ITableStore? scan = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var unsettled = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            await Triggers.RelaysQuietAsync(services);
            var behind = await BehindAsync(services, durable, ct, scan);
            if (behind.Count == 0)
            {
                return unsettled.Count;
            }

            unsettled.UnionWith(behind.Select(b => b.FlowId));
            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"Flows still behind after {Patience}: {string.Join(", ", behind.Select(b => b.Why).Distinct())}");
            }

            await Task.Delay(Poll, ct);
        }
    }

    /// <summary>One look: the running flows that have not heard an instance's deadline or end as it stands, or are
    /// making a call or firing a deadline (news still on a queue counts: whoever pumps the queues runs them); throws if
    /// one failed.</summary>
    public static async Task<IReadOnlyList<(string FlowId, string Why)>> BehindAsync(
        IServiceProvider services, DurableTaskClient durable, CancellationToken ct = default, ITableStore? scan = null)
    {
        var routes = services.GetRequiredService<FlowRoutes>();
        var flows = await RunningAsync(durable, routes, ct);
        var behind = new List<(string FlowId, string Why)>();
        foreach (var (fact, sent) in await ReadAsync(services, scan, ct))
        {
            var flowId = routes.Find(fact.Lifecycle)!.FlowOf(fact.Id);
            if (flows.TryGetValue(flowId, out var flow) && !Knows(flow.Status, fact, sent))
            {
                var heard = flow.Status?.Heard?.GetValueOrDefault(fact.Key);
                behind.Add((flowId, $"{flowId} ({fact.Key} v{fact.Version}, its last fact v{sent}; heard v{heard?.Version}, over {heard?.Over}, deadline {heard?.Deadline:O}; {Described(flow.Metadata)})"));
            }
        }

        behind.AddRange(flows.Where(f => f.Value.Status?.Busy ?? true).Select(f => (f.Key, $"{f.Key} (busy; {Described(f.Value.Metadata)})")));
        return behind;
    }

    /// <summary>The flow knows enough of the instance: the last fact sent to it (<paramref name="sent"/>, its version:
    /// raised straight from the relay, it is on no queue the drain could see), whether it is over, and a deadline no
    /// later than the one it waits on (an earlier one it knows fires, is ignored, and tells it the rest). An instance it
    /// has not heard of yet is news on its way, unless it waits on nothing.</summary>
    private static bool Knows(FlowStatus? status, FlowFact fact, long? sent) =>
        status?.Heard?.GetValueOrDefault(fact.Key) is { } heard
            ? heard.Version >= (sent ?? 0) && heard.Over == fact.Over && (fact.Over || fact.Deadline is null || heard.Deadline <= fact.Deadline)
            : fact.Over && fact.Deadline is null;

    /// <summary>What a flow that is behind looked like in the task hub: enough to tell a flow that never ran its
    /// episode from one that ran it and did not hear.</summary>
    private static string Described(OrchestrationMetadata flow) =>
        $"{flow.RuntimeStatus}, created {flow.CreatedAt:O}, updated {flow.LastUpdatedAt:O}, status {flow.SerializedCustomStatus ?? "none"}";

    private static async Task<Dictionary<string, (FlowStatus? Status, OrchestrationMetadata Metadata)>> RunningAsync(DurableTaskClient durable, FlowRoutes routes, CancellationToken ct)
    {
        var running = new Dictionary<string, (FlowStatus? Status, OrchestrationMetadata Metadata)>(StringComparer.Ordinal);
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
            PageSize = 1000,
            FetchInputsAndOutputs = true,
        };
        var orchestrators = routes.All.Select(r => r.Orchestrator).ToHashSet(StringComparer.Ordinal);
        await foreach (var flow in durable.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (orchestrators.Contains(flow.Name))
            {
                running[flow.InstanceId] = (FlowStatus.Read(flow.SerializedCustomStatus), flow);
            }
        }

        foreach (var failed in await FailedAsync(durable, orchestrators, ct))
        {
            throw new InvalidOperationException($"Flow {failed.InstanceId} failed: {failed.FailureDetails?.ErrorType} {failed.FailureDetails?.ErrorMessage} {failed.SerializedOutput} {failed.FailureDetails?.StackTrace}");
        }

        return running;
    }

    private static async Task<List<OrchestrationMetadata>> FailedAsync(DurableTaskClient durable, HashSet<string> orchestrators, CancellationToken ct)
    {
        var failed = new List<OrchestrationMetadata>();
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], PageSize = 100, FetchInputsAndOutputs = true };
        await foreach (var flow in durable.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (orchestrators.Contains(flow.Name))
            {
                failed.Add(flow);
            }
        }

        return failed;
    }

    /// <summary>Every instance of a lifecycle a flow follows, as its flow should know it, and the version of the last
    /// fact it sent its flow.</summary>
    private static async Task<List<(FlowFact Fact, long? Sent)>> ReadAsync(IServiceProvider services, ITableStore? scan, CancellationToken ct, IReadOnlyCollection<string>? only = null)
    {
        var tables = scan ?? services.GetRequiredService<ITableStore>();
        var lifecycles = services.GetRequiredService<LifecycleRegistry>();
        var facts = new List<(FlowFact, long?)>();
        foreach (var route in services.GetRequiredService<FlowRoutes>().All.Where(r => only?.Contains(r.Lifecycle) ?? true))
        {
            string? continuation = null;
            do
            {
                var page = await tables.QueryOlderThanAsync(
                    LifecycleKeys.Table, route.Lifecycle + "|", "UpdatedAt", DateTimeOffset.MaxValue, continuation, 1000, ct);
                foreach (var row in page.Rows.Where(r => r.RowKey == LifecycleKeys.StateRow))
                {
                    var id = row.PartitionKey[(route.Lifecycle.Length + 1)..];
                    if (await lifecycles.Find(route.Lifecycle)!.FactAsync(id, ct) is { } fact)
                    {
                        facts.Add((fact, InstanceStore.FactVersionOf(row)));
                    }
                }

                continuation = page.Continuation;
            }
            while (continuation is not null);
        }

        return facts;
    }
}
