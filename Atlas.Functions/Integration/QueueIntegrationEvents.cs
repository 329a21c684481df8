using Atlas.Functions.Queues;

namespace Atlas.Functions.Integration;

/// <summary>Local development's transport: each event's document on the storage queue <c>integration-events</c>, where
/// a developer can watch them (Azurite has no Service Bus, and none is served here).</summary>
public sealed class QueueIntegrationEvents(IQueueClient queues) : IIntegrationEvents
{
    public const string Queue = "integration-events";

    public Task PublishAsync(IReadOnlyList<IntegrationMessage> messages, CancellationToken ct) =>
        Task.WhenAll(messages.Select(m => queues.SendAsync(Queue, m.Document(), TimeSpan.Zero, ct)));
}
