using Azure.Storage.Queues;

namespace Atlas.LocalHost.Queues;

/// <summary>host.json <c>extensions.queues</c>, with the WebJobs queue extension's defaults.</summary>
internal sealed record QueuesOptions
{
    // Azure Storage returns at most 32 messages per receive.
    public const int MaxBatchSize = 32;

    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    public int BatchSize { get; init; } = 16;

    /// <summary>Unset means <c>BatchSize / 2 * processor count</c>.</summary>
    public int? NewBatchThreshold { get; init; }

    public int MaxDequeueCount { get; init; } = 5;

    // The extension's default is one minute, but it drops to 2 s when the environment is Development,
    // which a local host always is.
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    public QueueMessageEncoding MessageEncoding { get; init; } = QueueMessageEncoding.Base64;

    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;

    public static QueueMessageEncoding ParseEncoding(string value) => value.ToUpperInvariant() switch
    {
        "BASE64" => QueueMessageEncoding.Base64,
        "NONE" => QueueMessageEncoding.None,
        _ => throw new InvalidDataException($"host.json extensions.queues.messageEncoding '{value}' is neither 'base64' nor 'none'."),
    };

    public QueuesOptions Validate()
    {
        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new InvalidDataException($"extensions.queues.batchSize must be between 1 and {MaxBatchSize}.");
        }

        if (MaxDequeueCount < 1)
        {
            throw new InvalidDataException("extensions.queues.maxDequeueCount must be at least 1.");
        }

        if (MaxPollingInterval < MinimumPollingInterval)
        {
            throw new InvalidDataException($"extensions.queues.maxPollingInterval must not be less than {MinimumPollingInterval}.");
        }

        return NewBatchThreshold < 0
            ? throw new InvalidDataException("extensions.queues.newBatchThreshold must not be negative.")
            : this;
    }
}
