using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Integration;

/// <summary>The integration queue's function: business events to publish to other systems, carried out by the runtime's
/// <see cref="EffectDispatcher"/>. The feature declares its queue's function, so the runtime names no feature's queue.</summary>
public static class IntegrationQueue
{
    [Function("Integration")]
    public static Task RunAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + IntegrationServices.Queue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);
}
