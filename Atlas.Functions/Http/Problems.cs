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

    public static IResult Unauthorized(string code, string detail) => new WithHeader(
        Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Not signed in.",
            detail: detail,
            type: "https://atlas.dev/problems/" + code,
            extensions: new Dictionary<string, object?> { ["code"] = code }),
        "WWW-Authenticate",
        code == "missing-token" ? "Bearer" : "Bearer error=\"invalid_token\"");

    public static IResult Forbidden(string detail) => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Not allowed.",
        detail: detail,
        type: "https://atlas.dev/problems/forbidden",
        extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });

    /// <summary>429 with Retry-After in whole seconds (at least 1).</summary>
    public static IResult TooManyRequests(Rejection rejection, TimeSpan retryAfter) =>
        RetryLater(StatusCodes.Status429TooManyRequests, "Too many requests.", rejection, retryAfter);

    /// <summary>503 with Retry-After in whole seconds and a code: the app holds something back on purpose for a while.</summary>
    public static IResult ServiceUnavailable(Rejection rejection, TimeSpan retryAfter) =>
        RetryLater(StatusCodes.Status503ServiceUnavailable, "Unavailable for now.", rejection, retryAfter);

    /// <summary>503 with Retry-After: a dependency is out of reach for a moment.</summary>
    public static IResult ServiceUnavailable(string title, string detail, TimeSpan retryAfter) => new WithHeader(
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail),
        "Retry-After",
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A wrong sign-in code: the field, the rule, and how many tries are left.</summary>
    public static IResult WrongCode(int attemptsLeft) => Results.ValidationProblem(
        new Dictionary<string, string[]> { ["code"] = [$"The code is not correct; {attemptsLeft} attempts left."] },
        title: "The request is not valid.",
        type: "https://atlas.dev/problems/code-incorrect",
        extensions: new Dictionary<string, object?> { ["code"] = "code-incorrect", ["attemptsLeft"] = attemptsLeft });

    public static IResult IdempotencyKeyReused() => Results.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The Idempotency-Key was used for another request.",
        detail: "A retry must send the same body as the first request; use a new key for a new request.",
        type: "https://atlas.dev/problems/idempotency-key-reused",
        extensions: new Dictionary<string, object?> { ["code"] = "idempotency-key-reused" });

    /// <summary>The problem for a command that did not go through (rejected or contended), or null when it did.</summary>
    public static IResult? Failure<TState>(CommandResult<TState> result)
        where TState : class => result.Status switch
        {
            CommandStatus.Rejected => Rejected(result.Rejection!),
            CommandStatus.Contended => Contended(),
            _ => null,
        };

    /// <summary>Maps a lifecycle command's result: applied or unchanged → the given success, otherwise a problem.</summary>
    public static IResult For<TState>(CommandResult<TState> result, Func<CommandResult<TState>, IResult> success)
        where TState : class => Failure(result) ?? success(result);

    private static IResult RetryLater(int status, string title, Rejection rejection, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        return new WithHeader(
            Results.Problem(
                statusCode: status,
                title: title,
                detail: rejection.Reason,
                type: "https://atlas.dev/problems/" + rejection.Code,
                extensions: new Dictionary<string, object?> { ["code"] = rejection.Code, ["retryAfter"] = seconds }),
            "Retry-After",
            seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>A result with one response header added.</summary>
public sealed class WithHeader(IResult inner, string name, string value) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers[name] = value;
        return inner.ExecuteAsync(httpContext);
    }
}
