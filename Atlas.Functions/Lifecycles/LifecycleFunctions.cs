using Atlas.Functions.Hosting;
using Atlas.Functions.Integration;
using Atlas.Functions.Notifications;
using Atlas.Functions.Payments;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Lifecycles;

/// <summary>The runtime's own functions: the relay scan, and one queue function per effect queue (each queue's
/// effects are carried out by <see cref="EffectDispatcher"/>). Queue names carry the storage name prefix.</summary>
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

    [Function("Notifications")]
    public static Task NotificationsAsync(
        [QueueTrigger(Prefix + NotificationServices.Queue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);

    [Function("Payments")]
    public static Task PaymentsAsync(
        [QueueTrigger(Prefix + PaymentServices.Queue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);

    [Function("Integration")]
    public static Task IntegrationAsync(
        [QueueTrigger(Prefix + IntegrationServices.Queue)] string message, string id, long dequeueCount, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(new QueueMessage(id, "", (int)dequeueCount, message), ct);
}
