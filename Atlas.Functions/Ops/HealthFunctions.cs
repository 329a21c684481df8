using Atlas.Functions.Auth;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Atlas.Functions.Http;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/health: can the app reach its tables and queues? 200 when it can, 503 when not.</summary>
public static class HealthFunctions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <param name="Checks">Each dependency and how it answered: ok, unreachable or timeout.</param>
    public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

    [Function("Health")]
    [Anyone]
    [Responds(StatusCodes.Status200OK, typeof(HealthReport))]
    public static async Task<IResult> CheckAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest http,
        ITableStore tables, IQueueClient queues, CancellationToken ct)
    {
        // Side by side: a probe that times out does not hold the other's answer back (a load balancer waits for both).
        var probes = await Task.WhenAll(
            ProbeAsync(token => tables.GetAsync(LifecycleKeys.Table, "health", "probe", token), ct),
            ProbeAsync(token => queues.ApproximateCountAsync(EffectRoutes.DefaultQueue, token), ct));
        var checks = new Dictionary<string, string> { ["tables"] = probes[0], ["queues"] = probes[1] };

        return checks.Values.All(v => v == "ok")
            ? Results.Ok(new HealthReport("healthy", checks))
            : Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage is not reachable.",
                extensions: new Dictionary<string, object?> { ["checks"] = checks });
    }

    private static async Task<string> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await probe(timeout.Token);
            return "ok";
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return e is OperationCanceledException ? "timeout" : "unreachable";
        }
    }
}
