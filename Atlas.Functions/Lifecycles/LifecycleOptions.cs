namespace Atlas.Functions.Lifecycles;

/// <summary>Settings of the lifecycle runtime (configuration section "Lifecycles").</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycles";

    /// <summary>How often the relay function looks for outboxes a crash left behind, as its NCRONTAB schedule.</summary>
    public string RelayScanSchedule { get; set; } = "*/5 * * * * *";

    /// <summary>How many times a command is decided again after losing an optimistic-concurrency race.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How many instances' last-written state rows this process keeps to skip a read (0: none).</summary>
    public int StateCacheSize { get; set; } = 10_000;

    /// <summary>How long after a commit the relay scan takes over relaying its effects, should the fast path not
    /// have finished by then. Shorter means a crashed relay is retried sooner; it also means the scan relays
    /// again what a slow fast path is still relaying (harmless, but wasted work).</summary>
    public TimeSpan RelayGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the relay row of a finished fast path waits for a batch of its bucket to go with before it goes
    /// in one of its own (<see cref="RelayRowWriter"/>). <see cref="Timeout.InfiniteTimeSpan"/>: only with the next batch or
    /// the scan, which gives the crash tests one order of calls.</summary>
    public TimeSpan RelayCleanupDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many overdue outboxes the relay scan works on at once.</summary>
    public int ScanConcurrency { get; set; } = 32;
}
