using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Payments;

/// <summary>The payments queue's function: the ledger's postings, carried out by the runtime's
/// <see cref="EffectDispatcher"/>. The feature declares its queue's function, so the runtime names no feature's queue.</summary>
public static class PaymentQueue
{
    [Function("Payments")]
    public static Task RunAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + PaymentServices.Queue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);
}
