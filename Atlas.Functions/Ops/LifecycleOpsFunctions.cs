using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Ops;

/// <summary>
/// GET /api/ops/lifecycles/{type}/{id}: an instance's state, pending deadline, outbox and the flow that follows it (its
/// Durable runtime status, the timer it waits on for the instance and its last events), so a stuck ride can be diagnosed without a
/// debugger. Platform admins only.
/// </summary>
public static class LifecycleOpsFunctions
{
    private const int RecentEvents = 20;

    [Function("GetLifecycle")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(InstanceView))]
    [Responds(StatusCodes.Status400BadRequest)]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/lifecycles/{type}/{id}")] HttpRequest http,
        string type, string id, [DurableClient] DurableTaskClient durable, LifecycleRegistry lifecycles, FlowRoutes routes, FlowHistory history, CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(id))
        {
            return Problems.Validation("id", "An instance id is 1-128 letters, digits, '-' or '_'.");
        }

        if (lifecycles.Find(type) is not { } lifecycle)
        {
            return Problems.NotFound($"Lifecycle type '{type}'");
        }

        return await lifecycle.ReadAsync(id, ct) is { } view
            ? Results.Ok(view with { Flows = await FollowingAsync(durable, routes, history, type, id, ct) })
            : Problems.NotFound($"Instance '{id}' of '{type}'");
    }

    /// <summary>The flow that follows the instance, with what it knows of it (its custom status, <see cref="FlowStatus"/>).</summary>
    private static async Task<IReadOnlyList<FlowView>> FollowingAsync(
        DurableTaskClient durable, FlowRoutes routes, FlowHistory history, string type, string id, CancellationToken ct)
    {
        if (routes.Find(type) is not { } route || await durable.GetInstanceAsync(route.FlowOf(id), getInputsAndOutputs: true, ct) is not { } flow)
        {
            return [];
        }

        var heard = FlowStatus.Read(flow.SerializedCustomStatus)?.Heard?.GetValueOrDefault(FlowFact.KeyOf(type, id));
        var running = flow.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;
        return
        [
            new FlowView(
                flow.InstanceId,
                flow.Name,
                flow.RuntimeStatus.ToString(),
                heard?.Deadline,
                running && heard is { Over: false } ? heard.WakeAt ?? heard.Deadline : null,
                flow.CreatedAt,
                flow.LastUpdatedAt,
                flow.FailureDetails?.ErrorMessage,
                await history.RecentAsync(flow.InstanceId, RecentEvents, ct)),
        ];
    }
}
