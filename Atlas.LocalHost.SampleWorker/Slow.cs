using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace SampleWorker;

/// <summary>Takes as long as asked: lets a test crash the worker while a request is in flight.</summary>
public static class Slow
{
    [Function(nameof(Slow))]
    public static async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "slow/{milliseconds:int}")] HttpRequest request,
        int milliseconds,
        FunctionContext context)
    {
        // Said once the request is inside the worker: a test kills it after this line, not before.
        context.GetLogger(nameof(Slow)).LogInformation("Sleeping {Milliseconds} ms", milliseconds);
        await Task.Delay(milliseconds, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { slept = milliseconds });
    }
}
