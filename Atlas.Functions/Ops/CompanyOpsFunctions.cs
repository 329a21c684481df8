using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/ops/companies and /api/ops/companies/{companyId}/members: every company on the platform and its
/// members, for platform admins (a company's own staff use /api/companies/{companyId}/…, scoped to theirs).</summary>
public static class CompanyOpsFunctions
{
    [Function("ListCompanies")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(Page<Company>))]
    public static async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/companies")] HttpRequest http,
        string? after, int? limit, CompanyStore companies, CancellationToken ct) =>
        Paging.TryRead(after, limit, out var paging, out var problem)
            ? Results.Ok(await companies.ListCompaniesAsync(paging.After, paging.Limit, ct))
            : problem;

    [Function("ListCompanyMembersForOps")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(Page<Member>))]
    public static async Task<IResult> ListMembersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/companies/{companyId}/members")] HttpRequest http,
        string companyId, string? after, int? limit, CompanyStore companies, CancellationToken ct)
    {
        if (!Paging.TryRead(after, limit, out var paging, out var problem))
        {
            return problem;
        }

        return LifecycleKeys.IsValidId(companyId) && await companies.FindAsync(companyId, ct) is not null
            ? Results.Ok(await companies.ListMembersAsync(companyId, paging.After, paging.Limit, ct))
            : Problems.NotFound($"Company '{companyId}'");
    }
}
