using Atlas.Functions.Hosting;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Lifecycles;

/// <summary>The runtime's own functions: the relay scan, and the queue function of the default effect queue (each
/// queue's effects are carried out by <see cref="EffectDispatcher"/>). A feature that routes effects to a queue of its
/// own declares that queue's function beside its services. Queue names carry the storage name prefix.</summary>
public static class LifecycleFunctions
{
    /// <summary>Before every queue name in a trigger: the <c>Storage:NamePrefix</c> setting.</summary>
    public const string Prefix = "%" + AtlasServices.NamePrefixSetting + "%";

    [Function("RelayScan")]
    public static Task ScanAsync([TimerTrigger("%Lifecycles:RelayScanSchedule%")] TimerInfo timer, RelayScan scan, CancellationToken ct) =>
        scan.RunOnceAsync(ct);

    [Function("Effects")]
    public static Task EffectsAsync(
        [QueueTrigger(Prefix + EffectRoutes.DefaultQueue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);
}
