using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>
/// GET /api/ops/lifecycles/{type}/{id}: an instance's state, pending deadline and outbox, so a stuck ride can
/// be diagnosed without a debugger. Platform admins only.
/// </summary>
public static class LifecycleOpsFunctions
{
    [Function("GetLifecycle")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(InstanceView))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/lifecycles/{type}/{id}")] HttpRequest http,
        string type, string id, LifecycleRegistry lifecycles, CancellationToken ct)
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
            ? Results.Ok(view)
            : Problems.NotFound($"Instance '{id}' of '{type}'");
    }
}
