using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Azure;
using Azure.Storage.Queues;

namespace Atlas.LocalHost.Queues;

/// <summary>
/// Polls one queue for one function with host.json's rules: receive up to batchSize, fetch again once no more
/// than newBatchThreshold are in flight, and back off to maxPollingInterval while the queue is empty.
/// </summary>
internal sealed class QueueTriggerListener : IAsyncDisposable
{
    // While a function runs its message stays invisible this long (the WebJobs listener's value). That
    // listener also renews the invisibility for longer runs; this one does not.
    private static readonly TimeSpan ProcessingVisibility = TimeSpan.FromMinutes(10);

    private readonly QueueClient _queue;
    private readonly QueuesOptions _options;
    private readonly QueueMessageProcessor _processor;
    private readonly HostLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly string _category;
    private readonly CancellationTokenSource _stopping = new();
    private Task _polling = Task.CompletedTask;

    private QueueTriggerListener(QueueClient queue, QueuesOptions options, QueueMessageProcessor processor, HostLog log, TimeProvider timeProvider, string category)
    {
        _queue = queue;
        _options = options;
        _processor = processor;
        _log = log;
        _timeProvider = timeProvider;
        _category = category;
    }

    public static QueueTriggerListener Create(
        FunctionDescriptor function,
        QueueTriggerBinding trigger,
        string queueName,
        StorageQueues queues,
        QueuesOptions options,
        FunctionInvoker invoker,
        HostLog log,
        TimeProvider timeProvider)
    {
        var service = queues.ServiceFor(trigger.Connection);
        var queue = service.GetQueueClient(queueName);
        var poisonQueue = StorageQueues.PoisonQueueName(queueName) is { } poisonName ? service.GetQueueClient(poisonName) : null;
        var processor = new QueueMessageProcessor(function, trigger, queue, poisonQueue, options, invoker, log);

        return new QueueTriggerListener(queue, options, processor, log, timeProvider, $"Host.Queues.{function.Name}");
    }

    public void Start() => _polling = Task.Run(() => PollAsync(_stopping.Token));

    /// <summary>One receive of a batch, each message run to the end and settled; returns how many were taken.</summary>
    public async Task<int> PumpOnceAsync(CancellationToken cancellationToken)
    {
        if (!await _queue.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var batch = (await _queue.ReceiveMessagesAsync(_options.BatchSize, ProcessingVisibility, cancellationToken).ConfigureAwait(false)).Value;
        await Task.WhenAll(batch.Select(message => _processor.ProcessAsync(message, cancellationToken))).ConfigureAwait(false);
        return batch.Length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        var backoff = new PollingBackoff(QueuesOptions.MinimumPollingInterval, _options.MaxPollingInterval);
        var processing = new List<Task>();
        var queueExists = false;
        var foundSinceLastDelay = false;
        var lastError = string.Empty;

        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Like the real listener, a missing queue is waited for, not created.
                queueExists = queueExists || await _queue.ExistsAsync(stopping).ConfigureAwait(false);
                if (queueExists)
                {
                    var batch = (await _queue.ReceiveMessagesAsync(_options.BatchSize, ProcessingVisibility, stopping).ConfigureAwait(false)).Value;
                    if (batch.Length > 0)
                    {
                        processing.AddRange(batch.Select(message => _processor.ProcessAsync(message, stopping)));
                        foundSinceLastDelay = true;
                        await WaitForNewBatchThresholdAsync(processing).ConfigureAwait(false);
                        continue;
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is RequestFailedException or HttpRequestException or IOException)
            {
                // Storage unreachable or the queue deleted under us: check again after a back-off, saying so once.
                queueExists = false;
                if (exception.Message != lastError)
                {
                    _log.Warn(_category, $"Polling '{_queue.Name}' failed ({exception.Message.Split('\n')[0]}); backing off.");
                    lastError = exception.Message;
                }
            }

            try
            {
                await Task.Delay(backoff.Next(foundSinceLastDelay), _timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            foundSinceLastDelay = false;
        }

        await Task.WhenAll(processing).ConfigureAwait(false);
    }

    // Fetch again only once no more than newBatchThreshold messages are in flight.
    private async Task WaitForNewBatchThresholdAsync(List<Task> processing)
    {
        processing.RemoveAll(task => task.IsCompleted);
        while (processing.Count > _options.EffectiveNewBatchThreshold)
        {
            processing.Remove(await Task.WhenAny(processing).ConfigureAwait(false));
        }
    }
}
