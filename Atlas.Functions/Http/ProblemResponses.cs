using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Http;

/// <summary>
/// Worker middleware around every function: what escapes an HTTP function becomes problem+json. A request the
/// parameters could not be read from is the caller's 400 (or 413) naming the field; an outside service out of reach
/// after its retries (Stripe) is a 503 to try again (<see cref="UnavailableException"/>); anything else is a 500 that says nothing of the internals. Other triggers let the
/// exception through, so the host retries the message.
/// </summary>
public sealed class ProblemResponses(ILogger<ProblemResponses> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is { } http && !http.RequestAborted.IsCancellationRequested)
        {
            context.Answer(ToProblem(context, http, exception));
        }
    }

    private IResult ToProblem(FunctionContext context, HttpContext http, Exception exception)
    {
        switch (exception)
        {
            case FunctionInputConverterException:
                return Problems.Validation(ParameterIn(exception.Message) ?? "request", "This value is not of the type the endpoint takes.");
            case UnavailableException unavailable:
                logger.LogWarning(exception, "{Unavailable} on {Method} {Path}", exception.GetType().Name, http.Request.Method, http.Request.Path);
                return Problems.ServiceUnavailable(unavailable.Title, unavailable.Detail, unavailable.RetryAfter);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.");
            default:
                logger.LogError(exception, "Unhandled error in {Function} on {Method} {Path}", context.FunctionDefinition.Name, http.Request.Method, http.Request.Path);
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Something went wrong on our side.");
        }
    }

    /// <summary>The worker names the parameter it could not convert: "Cannot convert input parameter 'limit' …".</summary>
    private static string? ParameterIn(string message)
    {
        const string marker = "parameter '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + marker.Length);
        return end < 0 ? null : message[(start + marker.Length)..end];
    }
}
