using Atlas.Functions.Queues;

namespace Atlas.Tests.Infrastructure;

/// <summary>A queue whose sends wait until the test opens the gate: what a command does before and after its relay.</summary>
public sealed class GatedQueueClient(IQueueClient inner, Task gate) : IQueueClient
{
    public Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken) => inner.CreateIfNotExistsAsync(queue, cancellationToken);

    public async Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        await inner.SendAsync(queue, text, initialDelay, cancellationToken);
    }

    public Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(queue, max, visibilityTimeout, cancellationToken);

    public Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken cancellationToken) => inner.DeleteAsync(queue, message, cancellationToken);

    public Task<string?> UpdateVisibilityAsync(string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        inner.UpdateVisibilityAsync(queue, message, visibilityTimeout, cancellationToken);

    public Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken) => inner.ApproximateCountAsync(queue, cancellationToken);

    public Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int max, CancellationToken cancellationToken) => inner.PeekAsync(queue, max, cancellationToken);
}
