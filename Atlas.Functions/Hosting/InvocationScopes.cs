using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Hosting;

/// <summary>Worker middleware: everything a function logs carries the function's name and the invocation id.</summary>
public sealed class InvocationScopes(ILogger<InvocationScopes> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Function"] = context.FunctionDefinition.Name,
            ["InvocationId"] = context.InvocationId,
        });
        await next(context);
    }
}
