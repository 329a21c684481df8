using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace SampleWorker;

/// <summary>No route: served at the function's name. Answers with the worker's process id, the forwarded host and the
/// trace the invocation continues.</summary>
public sealed class Ping(ILogger<Ping> logger)
{
    [Function(nameof(Ping))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, FunctionContext context)
    {
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestKind"] = "ping" }))
        {
            logger.LogInformation("Ping from {Caller}", request.HttpContext.Connection.RemoteIpAddress);
        }

        return new OkObjectResult(new
        {
            processId = Environment.ProcessId,
            host = request.Host.Value,
            scheme = request.Scheme,
            traceParent = context.TraceContext.TraceParent,
        });
    }
}
