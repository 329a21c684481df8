using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/ops/audit: the admin actions, newest first. Platform admins only; there is no route that changes
/// or removes an entry.</summary>
public static class AuditFunctions
{
    public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? Next);

    [Function("ListAudit")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(AuditPage))]
    public static async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/audit")] HttpRequest http,
        string? after, int? limit, AuditLog audit, CancellationToken ct)
    {
        if (!Paging.TryRead(after, limit, out var paging, out var problem))
        {
            return problem;
        }

        var (items, next) = await audit.PageAsync(paging.After, paging.Limit, ct);
        return Results.Ok(new AuditPage(items, next));
    }
}
