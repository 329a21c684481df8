using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;

namespace Atlas.Functions.Queues;

/// <summary>
/// The queue port over Azure.Storage.Queues. Every queue name gets the configured prefix, so several apps (or test
/// runs) can share one account. The service client must encode messages as Base64: the Functions host's queue trigger
/// reads Base64 by default (host.json's <c>extensions.queues.messageEncoding</c>), so both sides agree.
/// </summary>
public sealed class AzureStorageQueues(QueueServiceClient service, string namePrefix = "") : IQueueClient
{
    /// <summary>Messages never expire on their own: one waiting out a long retry delay, or in a poison queue, stays
    /// until it is handled or someone deletes it.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    public async Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken) =>
        await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken cancellationToken) =>
        await Queue(queue).SendMessageAsync(
            text, initialDelay > TimeSpan.Zero ? WholeSeconds(initialDelay) : null, NeverExpires, cancellationToken);

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(
        string queue, int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await Queue(queue).ReceiveMessagesAsync(
            Math.Clamp(max, 1, 32), TimeSpan.FromSeconds(Math.Max(1, WholeSeconds(visibilityTimeout).TotalSeconds)), cancellationToken);
        return received.Value
            .Select(m => new QueueMessage(m.MessageId, m.PopReceipt, (int)m.DequeueCount, m.Body.ToString()))
            .ToList();
    }

    public async Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await Queue(queue).DeleteMessageAsync(message.Id, message.PopReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (LostLease(e))
        {
            return false;
        }
    }

    public async Task<string?> UpdateVisibilityAsync(
        string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await Queue(queue).UpdateMessageAsync(
                message.Id, message.PopReceipt, visibilityTimeout: WholeSeconds(visibilityTimeout), cancellationToken: cancellationToken);
            return receipt.Value.PopReceipt;
        }
        catch (RequestFailedException e) when (LostLease(e))
        {
            return null;
        }
    }

    public async Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken) =>
        (await Queue(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;

    public async Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int max, CancellationToken cancellationToken)
    {
        try
        {
            var peeked = await Queue(queue).PeekMessagesAsync(Math.Clamp(max, 1, 32), cancellationToken);
            return [.. peeked.Value.Select(m => new PeekedMessage(m.MessageId, (int)m.DequeueCount, m.InsertedOn, m.Body.ToString()))];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    private QueueClient Queue(string name) => _queues.GetOrAdd(name, n => service.GetQueueClient(namePrefix + n));

    /// <summary>The message is gone, or another receiver holds it now (its pop receipt changed).</summary>
    private static bool LostLease(RequestFailedException e) => e.Status is 404 or 400;

    /// <summary>The service counts visibility in whole seconds; a part of one is rounded up, never to zero early.</summary>
    private static TimeSpan WholeSeconds(TimeSpan span) => TimeSpan.FromSeconds(Math.Ceiling(span.TotalSeconds));
}
