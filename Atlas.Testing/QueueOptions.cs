namespace Atlas.Testing;

/// <summary>Settings of <see cref="QueuePump"/> (configuration section "Queues"), the same as the Functions host's
/// queue extension settings in host.json.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queues";

    /// <summary>How long a received message stays invisible while it is handled: if the process dies, the message
    /// reappears after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a message that failed waits before it is tried again (host.json's visibilityTimeout).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A message that fails this many times moves to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    public int BatchSize { get; set; } = 16;
}
