using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Notifications;

/// <summary>The notifications queue's function: texts, push notices and email to send, carried out by the runtime's
/// <see cref="EffectDispatcher"/>. The feature declares its queue's function, so the runtime names no feature's queue.</summary>
public static class NotificationQueue
{
    [Function("Notifications")]
    public static Task RunAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + NotificationServices.Queue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);
}
