using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Http;

/// <summary>No request of this API needs more than a few kilobytes: one that says it is larger is refused with 413
/// before anything reads it; a body sent without a length is cut off at the same size by <see cref="BodyAttribute"/>.
/// (The worker's web server is left without a limit of its own: it would reset the connection mid-upload, and the
/// Functions host would report a failure instead of the 413.)</summary>
public sealed class RequestSizeLimit : IFunctionsWorkerMiddleware
{
    public const long MaxBytes = 64 * 1024;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext()?.Request.ContentLength > MaxBytes)
        {
            context.Answer(Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request is too large.",
                detail: $"This API takes bodies of at most {MaxBytes / 1024} KiB."));
            return;
        }

        await next(context);
    }
}
