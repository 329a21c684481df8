using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;

namespace Atlas.Testing.Sample;

/// <summary>HTTP routes for the sample lifecycle, declared in the catalog the way features declare theirs.</summary>
public static class JobFunctions
{
    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("OpenJob", "PUT", "jobs/{id}", Access.Anyone, OpenAsync)
        .Http("AddWork", "POST", "jobs/{id}/work", Access.Anyone, AddWorkAsync)
        .Http("GetJob", "GET", "jobs/{id}", Access.Anyone, GetAsync);

    public sealed record OpenJobRequest(string? Title, int? OpenForSeconds);

    public sealed record AddWorkRequest(string? RequestId, int? Amount);

    private static async Task<IResult> OpenAsync(
        string id, OpenJobRequest request, Lifecycle<JobState, JobCommand> jobs, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!LifecycleKeys.IsValidId(id))
        {
            errors["id"] = ["An id is 1-128 letters, digits, '-' or '_'."];
        }

        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 100)
        {
            errors["title"] = ["A title is required, at most 100 characters."];
        }

        if (request.OpenForSeconds is not (>= 1 and <= 3600))
        {
            errors["openForSeconds"] = ["openForSeconds is required, from 1 to 3600."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await jobs.ExecuteAsync(id, new OpenJob(request.Title!, TimeSpan.FromSeconds(request.OpenForSeconds!.Value)), ct);
        return Problems.For(result, r => Results.Ok(new { r.Version, r.State }));
    }

    private static async Task<IResult> AddWorkAsync(
        string id, AddWorkRequest request, Lifecycle<JobState, JobCommand> jobs, CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(id))
        {
            return Problems.NotFound($"Job '{id}'");
        }

        if (string.IsNullOrWhiteSpace(request.RequestId) || request.RequestId.Length > 64)
        {
            return Problems.Validation("requestId", "A requestId is required, at most 64 characters.");
        }

        if (request.Amount is not (>= 1 and <= 1000))
        {
            return Problems.Validation("amount", "amount is required, from 1 to 1000.");
        }

        var result = await jobs.ExecuteAsync(id, new AddWork(request.RequestId, request.Amount.Value), ct);
        return Problems.For(result, r => Results.Ok(new { r.Version, r.State }));
    }

    private static async Task<IResult> GetAsync(string id, Lifecycle<JobState, JobCommand> jobs, CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(id))
        {
            return Problems.NotFound($"Job '{id}'");
        }

        var (state, version) = await jobs.GetAsync(id, ct);
        return version == 0 ? Problems.NotFound($"Job '{id}'") : Results.Ok(new { Version = version, State = state });
    }
}
