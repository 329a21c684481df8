using Atlas.Core.Common;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Http;

/// <summary>The one place outcomes become RFC 9457 problem responses.</summary>
public static class Problems
{
    public static IResult Validation(string field, string rule) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [rule] }, title: "The request is not valid.");

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"{what} was not found.");

    public static IResult Rejected(Rejection rejection) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "The request is not allowed now.",
        detail: rejection.Reason,
        type: "https://atlas.dev/problems/" + rejection.Code,
        extensions: new Dictionary<string, object?> { ["code"] = rejection.Code });

    public static IResult Contended() => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Too many concurrent changes.",
        detail: "Others changed this at the same moment; retry the request.",
        type: "https://atlas.dev/problems/concurrency",
        extensions: new Dictionary<string, object?> { ["code"] = "concurrency" });

    /// <summary>Maps a lifecycle command's result: applied or unchanged → the given success, otherwise a problem.</summary>
    public static IResult For<TState>(CommandResult<TState> result, Func<CommandResult<TState>, IResult> success)
        where TState : class => result.Status switch
        {
            CommandStatus.Rejected => Rejected(result.Rejection!),
            CommandStatus.Contended => Contended(),
            _ => success(result),
        };
}
