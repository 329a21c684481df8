using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Privacy;

/// <summary>The right of access: <c>GET /api/me/export</c>, everything Atlas holds about the caller as one JSON document.</summary>
public static class ExportFunctions
{
    [Function("ExportMe")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(ExportDocument))]
    public static async Task<IResult> ExportAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/export")] HttpRequest http,
        Caller caller, Erasures erasures, UserExport export, CancellationToken ct) =>
        await erasures.IsErasedAsync(caller.UserId, ct) ? ErasureFunctions.Erased() : Results.Ok(await export.ComposeAsync(caller, ct));
}
