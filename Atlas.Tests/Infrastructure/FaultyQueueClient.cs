using System.Collections.Concurrent;
using Atlas.Functions.Queues;

namespace Atlas.Tests.Infrastructure;

/// <summary>The real queue client with every call passed through <see cref="Faults"/>. It remembers messages
/// taken and not yet deleted, so a test can let their leases run out after a crash without waiting for them.</summary>
public sealed class FaultyQueueClient(IQueueClient inner, Faults faults) : IQueueClient
{
    private readonly ConcurrentDictionary<string, (string Queue, QueueMessage Message)> _leased = new();

    public Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken) =>
        inner.CreateIfNotExistsAsync(queue, cancellationToken);

    public Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken cancellationToken) =>
        faults.AroundAsync($"queue send {queue}", () => inner.SendAsync(queue, text, initialDelay, cancellationToken));

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        // Leases are recorded before the fault can strike after the call: the messages are taken either way.
        return await faults.AroundAsync($"queue receive {queue}", async () =>
        {
            var messages = await inner.ReceiveAsync(queue, max, visibilityTimeout, cancellationToken);
            foreach (var message in messages)
            {
                _leased[message.Id] = (queue, message);
            }

            return messages;
        });
    }

    public Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken cancellationToken) =>
        faults.AroundAsync($"queue delete {queue}", async () =>
        {
            var deleted = await inner.DeleteAsync(queue, message, cancellationToken);
            _leased.TryRemove(message.Id, out _);
            return deleted;
        });

    public Task<string?> UpdateVisibilityAsync(string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        faults.AroundAsync($"queue update {queue}", () => inner.UpdateVisibilityAsync(queue, message, visibilityTimeout, cancellationToken));

    public Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken) =>
        inner.ApproximateCountAsync(queue, cancellationToken);

    public Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int max, CancellationToken cancellationToken) =>
        inner.PeekAsync(queue, max, cancellationToken);

    /// <summary>Stands in for the lease timeout passing: messages a dead process held become visible again.</summary>
    public async Task ExpireLeasesAsync()
    {
        foreach (var (id, (queue, message)) in _leased)
        {
            await inner.UpdateVisibilityAsync(queue, message, TimeSpan.Zero, CancellationToken.None);
            _leased.TryRemove(id, out _);
        }
    }
}
