using System.Text.Json;

namespace Atlas.Functions.Lifecycles;

/// <summary>An instance as the ops endpoint shows it: enough to diagnose a stuck lifecycle without a debugger. Its
/// deadline flows are the Durable orchestrations that its deadlines armed (<see cref="DeadlineFlow"/>).</summary>
public sealed record InstanceView(
    string Lifecycle,
    string Id,
    long Version,
    JsonElement State,
    DateTimeOffset? Deadline,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<PendingEffectView> Outbox,
    IReadOnlyList<DeadlineFlowView>? Flows = null);

public sealed record PendingEffectView(string EffectId, string Kind, string Queue, DateTimeOffset? CreatedAt);

/// <summary>One deadline flow: its orchestration's runtime status, and the timer it waits on while it runs.</summary>
/// <param name="PendingTimer">The deadline (or, after a failed try, the retry) a running flow waits for.</param>
/// <param name="RecentHistory">The flow's last events, oldest first.</param>
public sealed record DeadlineFlowView(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    DateTimeOffset Deadline,
    DateTimeOffset? PendingTimer,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? Failure,
    IReadOnlyList<FlowEventView> RecentHistory);

/// <summary>One history event: its type (ExecutionStarted, TimerCreated, EventRaised, TaskScheduled, TaskCompleted…),
/// when, the activity or event it names, and a timer's due time.</summary>
public sealed record FlowEventView(string Sequence, string EventType, DateTimeOffset? At, string? Name, DateTimeOffset? FireAt);
