using System.Security.Cryptography;
using System.Text;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Ops;

/// <summary>
/// GET /api/ops/lifecycles/{type}/{id}: an instance's state, pending deadline and outbox, so a stuck ride can
/// be diagnosed without a debugger. Guarded by the ops key from configuration; without one it does not exist.
/// </summary>
public static class LifecycleOpsFunctions
{
    public const string KeyHeader = "X-Ops-Key";

    public static void Declare(FunctionCatalog catalog, IServiceProvider services) =>
        catalog.Http("GetLifecycle", "GET", "ops/lifecycles/{type}/{id}", GetAsync);

    private static async Task<IResult> GetAsync(
        string type, string id, HttpRequest request, LifecycleRegistry lifecycles, IConfiguration configuration, CancellationToken ct)
    {
        var key = configuration["Ops:Key"];
        if (string.IsNullOrEmpty(key))
        {
            return Problems.NotFound("The ops endpoint");
        }

        if (!CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(request.Headers[KeyHeader].ToString()), Encoding.UTF8.GetBytes(key)))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized.",
                detail: $"The {KeyHeader} header is missing or wrong.");
        }

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
