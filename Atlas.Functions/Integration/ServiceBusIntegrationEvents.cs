using Azure.Messaging.ServiceBus;

namespace Atlas.Functions.Integration;

/// <summary>
/// Business events on a Service Bus topic: the message id is the event's (so a namespace with duplicate detection drops
/// a redelivery), the subject its type, and the type and company id are application properties for subscription
/// filters. Sent in batches, each once: a failure is thrown, and the effect takes the <c>integration</c> queue (from
/// the relay's first try: <c>DirectEffects</c>), which delivers it again (host.json's maxDequeueCount, a visibility
/// timeout apart, then its poison queue). That is the send's one retry: the client's own retries are off and nothing
/// here tries again (docs/retries.md).
/// </summary>
public sealed class ServiceBusIntegrationEvents(ServiceBusSender sender, ILogger<ServiceBusIntegrationEvents> logger) : IIntegrationEvents
{
    public async Task PublishAsync(IReadOnlyList<IntegrationMessage> messages, CancellationToken ct)
    {
        var pending = new Queue<IntegrationMessage>(messages);
        while (pending.Count > 0)
        {
            using var batch = await sender.CreateMessageBatchAsync(ct);
            var inBatch = new List<IntegrationMessage>();
            while (pending.TryPeek(out var next) && batch.TryAddMessage(ToMessage(next)))
            {
                inBatch.Add(pending.Dequeue());
            }

            if (inBatch.Count == 0)
            {
                var tooBig = pending.Dequeue();
                logger.LogError("Business event {MessageId} ({Type}) is too large for a Service Bus message", tooBig.Id, tooBig.Event.Type);
                throw new InvalidOperationException($"Business event {tooBig.Id} is too large for a Service Bus message.");
            }

            await SendAsync(batch, inBatch, ct);
        }
    }

    public static ServiceBusMessage ToMessage(IntegrationMessage message)
    {
        var sent = new ServiceBusMessage(BinaryData.FromString(message.Document()))
        {
            MessageId = message.Id,
            Subject = message.Event.Type,
            ContentType = "application/json",
        };
        sent.ApplicationProperties["type"] = message.Event.Type;
        sent.ApplicationProperties["version"] = Atlas.Core.Integration.BusinessEvents.Version;
        if (message.Event.CompanyId is { } company)
        {
            sent.ApplicationProperties["companyId"] = company;
        }

        return sent;
    }

    private async Task SendAsync(ServiceBusMessageBatch batch, IReadOnlyList<IntegrationMessage> messages, CancellationToken ct)
    {
        try
        {
            await sender.SendMessagesAsync(batch, ct);
        }
        catch (ServiceBusException e) when (e.IsTransient)
        {
            logger.LogWarning(e, "Sending {Count} business events failed ({Reason}); their effects' queue tries again", messages.Count, e.Reason);
            throw;
        }
        catch (ServiceBusException e)
        {
            logger.LogError(e, "Service Bus refused {Count} business events ({Reason}): {Ids}", messages.Count, e.Reason, string.Join(", ", messages.Select(m => m.Id)));
            throw;
        }
    }
}
