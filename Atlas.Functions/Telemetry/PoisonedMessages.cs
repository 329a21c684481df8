using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Telemetry;

/// <summary>
/// Worker middleware: a queue-triggered invocation that fails on the message's last delivery is the one after which the
/// Functions host moves the message to the poison queue; it is counted (<see cref="AtlasMetrics.Poisoned"/>).
/// </summary>
public sealed class PoisonedMessages(AtlasMetrics metrics, IConfiguration configuration) : IFunctionsWorkerMiddleware
{
    /// <summary>host.json's <c>extensions.queues.maxDequeueCount</c> as the worker sees it: the host's override
    /// setting if there is one, else the value host.json sets (a test keeps the two in step).</summary>
    public const string MaxDequeueCountSetting = "AzureFunctionsJobHost:extensions:queues:maxDequeueCount";

    public const int HostJsonMaxDequeueCount = 5;

    private readonly int _maxDequeueCount = configuration.GetValue(MaxDequeueCountSetting, HostJsonMaxDequeueCount);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch when (IsLastDelivery(context))
        {
            metrics.Poisoned(context.FunctionDefinition.Name);
            throw;
        }
    }

    private bool IsLastDelivery(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => b.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
        && context.BindingContext.BindingData.TryGetValue("DequeueCount", out var count)
        && long.TryParse(count?.ToString(), out var deliveries)
        && deliveries >= _maxDequeueCount;
}
