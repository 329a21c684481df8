using Atlas.Functions.Auth;
using Atlas.Functions.Http;

namespace Atlas.Functions.Companies;

/// <summary>How every list of a company's things answers: only to a current member, one cursor page at a time.</summary>
internal static class CompanyLists
{
    public static async Task<IResult> PageAsync<T, TResponse>(
        string companyId,
        string? after,
        int? limit,
        Caller caller,
        CompanyStore companies,
        Func<Paging, Task<Page<T>>> list,
        Func<T, TResponse> map,
        CancellationToken ct)
    {
        if (!await companies.IsCurrentMemberAsync(caller, companyId, ct))
        {
            return Problems.NotFound($"Company '{companyId}'");
        }

        if (!Paging.TryRead(after, limit, out var paging, out var problem))
        {
            return problem;
        }

        var page = await list(paging);
        return Results.Ok(new Page<TResponse>(page.Items.Select(map).ToList(), page.Next));
    }
}
