using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace SampleWorker;

/// <summary>Takes as long as asked: lets a test crash the worker while a request is in flight.</summary>
public static class Slow
{
    [Function(nameof(Slow))]
    public static async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "slow/{milliseconds:int}")] HttpRequest request,
        int milliseconds)
    {
        await Task.Delay(milliseconds, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { slept = milliseconds });
    }
}
