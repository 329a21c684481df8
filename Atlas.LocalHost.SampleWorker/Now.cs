using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace SampleWorker;

/// <summary>Reads the clock from DI, so a test that owns the worker's services can set the time.</summary>
public sealed class Now(TimeProvider clock)
{
    [Function(nameof(Now))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "now")] HttpRequest request) =>
        new OkObjectResult(new { utcNow = clock.GetUtcNow() });
}
