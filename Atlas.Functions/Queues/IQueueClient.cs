namespace Atlas.Functions.Queues;

/// <summary>The port to Azure Storage queues (<see cref="AzureStorageQueues"/> is the adapter; tests wrap it to count
/// calls and inject faults).</summary>
public interface IQueueClient
{
    Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Puts a message; <paramref name="initialDelay"/> keeps it invisible that long first.</summary>
    Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken cancellationToken);

    /// <summary>Takes up to <paramref name="max"/> messages, each invisible to others for the timeout.</summary>
    Task<IReadOnlyList<QueueMessage>> ReceiveAsync(
        string queue, int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Deletes a received message; false when its pop receipt is stale (the lease ran out).</summary>
    Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken cancellationToken);

    /// <summary>Changes how long a received message stays invisible; returns its new pop receipt, or null when
    /// the lease was lost.</summary>
    Task<string?> UpdateVisibilityAsync(
        string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> (at most 32) of the first visible messages, without taking them; none when the
    /// queue does not exist (a poison queue is made by its first message).</summary>
    Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int max, CancellationToken cancellationToken);
}

/// <summary>A message looked at, not taken: it stays where it is, visible to others.</summary>
public sealed record PeekedMessage(string Id, int DequeueCount, DateTimeOffset? InsertedAt, string Text);

/// <summary>A received message: its text and what is needed to delete or hide it again.</summary>
public sealed record QueueMessage(string Id, string PopReceipt, int DequeueCount, string Text);
