namespace Atlas.LocalHost.Timers;

/// <summary>The timer's last firing, next due time and when that was recorded; <c>default</c> before the first firing.</summary>
internal sealed record ScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
