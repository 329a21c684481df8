namespace Atlas.Functions.Queues;

/// <summary>Settings of queue consumption (configuration section "Queues"), the same as the Functions host's
/// queue extension settings in host.json.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queues";

    /// <summary>How long a received message stays invisible while it is handled; a crash makes it reappear after.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A message that fails this many times moves to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    public int BatchSize { get; set; } = 16;

    /// <summary>The longest a standalone poller waits before looking at an empty queue again.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static string PoisonQueue(string queue) => $"{queue}-poison";
}
