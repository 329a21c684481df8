namespace Atlas.Functions.Integration;

/// <summary>The port to the systems that subscribe to Atlas's business events: a Service Bus topic in Azure, a storage
/// queue locally. Publishing a message twice is allowed (its id makes it the same message).</summary>
public interface IIntegrationEvents
{
    /// <summary>Publishes the messages (in as few sends as the transport allows); throws if any could not be.</summary>
    Task PublishAsync(IReadOnlyList<IntegrationMessage> messages, CancellationToken ct);
}
