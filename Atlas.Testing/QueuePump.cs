using Atlas.Functions.Queues;
using Microsoft.Extensions.Options;

namespace Atlas.Testing;

/// <summary>
/// The runtime tests' stand-in for the Functions host's queue trigger (they run the app's services without a host):
/// receive a batch, run the function on each message, delete what succeeded.
/// A failed message is tried again after the retry delay (and one whose process died, after its lease); one that
/// has failed MaxDequeueCount times moves to "&lt;queue&gt;-poison" and is logged as an error, never dropped.
/// </summary>
public sealed class QueuePump(IQueueClient queues, IOptions<QueueOptions> options, ILogger<QueuePump> logger)
{
    public async Task<int> RunOnceAsync(
        string queue, Func<QueueMessage, CancellationToken, Task> handler, CancellationToken ct)
    {
        var settings = options.Value;
        var messages = await queues.ReceiveAsync(queue, settings.BatchSize, settings.Lease, ct);
        await Task.WhenAll(messages.Select(m => ProcessAsync(queue, m, handler, ct)));
        return messages.Count;
    }

    private async Task ProcessAsync(
        string queue, QueueMessage message, Func<QueueMessage, CancellationToken, Task> handler, CancellationToken ct)
    {
        var maxDequeueCount = options.Value.MaxDequeueCount;
        if (message.DequeueCount > maxDequeueCount)
        {
            // It was taken more often than allowed without an outcome (the handler's process died each time).
            await PoisonAsync(queue, message, null, ct);
            return;
        }

        try
        {
            await handler(message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (message.DequeueCount >= maxDequeueCount)
            {
                await PoisonAsync(queue, message, e, ct);
            }
            else
            {
                logger.LogWarning(e, "Message {MessageId} on {Queue} failed (attempt {Attempt} of {Max}); retrying in {Delay}",
                    message.Id, queue, message.DequeueCount, maxDequeueCount, options.Value.RetryDelay);
                await queues.UpdateVisibilityAsync(queue, message, options.Value.RetryDelay, ct);
            }

            return;
        }

        await queues.DeleteAsync(queue, message, ct);
    }

    private async Task PoisonAsync(string queue, QueueMessage message, Exception? error, CancellationToken ct)
    {
        var poison = QueueNames.Poison(queue);
        await queues.SendAsync(poison, message.Text, TimeSpan.Zero, ct);
        await queues.DeleteAsync(queue, message, ct);
        logger.LogError(error, "Message {MessageId} on {Queue} failed {Count} times and moved to {PoisonQueue}",
            message.Id, queue, message.DequeueCount, poison);
    }
}
