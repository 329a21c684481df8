using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Atlas.LocalHost.Queues;

/// <summary>
/// Runs the function for one received message and settles the message as the WebJobs QueueProcessor does:
/// delete on success; on failure release it after visibilityTimeout, or move it to the poison queue once
/// its dequeue count reaches maxDequeueCount.
/// </summary>
internal sealed class QueueMessageProcessor(
    FunctionDescriptor function,
    QueueTriggerBinding trigger,
    QueueClient queue,
    QueueClient? poisonQueue,
    QueuesOptions options,
    FunctionInvoker invoker,
    HostLog log)
{
    private readonly string _category = $"Host.Queues.{function.Name}";

    public async Task ProcessAsync(QueueMessage message, CancellationToken stopping)
    {
        try
        {
            // Delivered more often than allowed (a crash can leave a message to come back once more).
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message).ConfigureAwait(false);
                return;
            }

            var invocation = QueueTriggerData.ToInvocation(function, trigger, queue.Name, message);
            var result = await invoker.InvokeAsync(invocation, stopping).ConfigureAwait(false);
            await SettleAsync(message, result, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the message becomes visible again when its invisibility runs out.
        }
        catch (RequestFailedException exception)
        {
            log.Warn(_category, $"Settling message {message.MessageId} failed: {exception.Status} {exception.ErrorCode}.");
        }
    }

    private async Task SettleAsync(QueueMessage message, InvocationResult result, CancellationToken stopping)
    {
        // Storage calls here take no cancellation: a message half-settled at shutdown would be delivered twice.
        if (result.Succeeded)
        {
            await IgnoreGoneAsync(queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None)).ConfigureAwait(false);
        }
        else if (result.Outcome == InvocationOutcome.Cancelled && stopping.IsCancellationRequested)
        {
            // Cut short by shutdown rather than failed by the function: leave it for the next start.
        }
        else if (poisonQueue is null)
        {
            // No poison queue to move it to: leave it invisible rather than retry it in a tight loop.
        }
        else if (message.DequeueCount >= options.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message).ConfigureAwait(false);
        }
        else
        {
            await IgnoreGoneAsync(queue.UpdateMessageAsync(
                message.MessageId,
                message.PopReceipt,
                visibilityTimeout: options.VisibilityTimeout,
                cancellationToken: CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message)
    {
        if (poisonQueue is null)
        {
            return;
        }

        log.Warn(_category, $"Message has reached MaxDequeueCount of {options.MaxDequeueCount}. Moving message to queue '{poisonQueue.Name}'.");
        await poisonQueue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await poisonQueue.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await IgnoreGoneAsync(queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None)).ConfigureAwait(false);
    }

    // 404 (message or queue gone) and 400 (pop receipt no longer matches: someone else holds the message)
    // leave nothing for this processor to do with it.
    private static async Task IgnoreGoneAsync(Task operation)
    {
        try
        {
            await operation.ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 400)
        {
        }
    }
}
