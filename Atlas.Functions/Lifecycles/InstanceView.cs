using System.Text.Json;

namespace Atlas.Functions.Lifecycles;

/// <summary>An instance as the ops endpoint shows it: enough to diagnose a stuck lifecycle without a debugger. Its
/// flows are the Durable orchestration that follows it.</summary>
public sealed record InstanceView(
    string Lifecycle,
    string Id,
    long Version,
    JsonElement State,
    DateTimeOffset? Deadline,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<PendingEffectView> Outbox,
    IReadOnlyList<FlowView>? Flows = null);

public sealed record PendingEffectView(string EffectId, string Kind, string Queue, DateTimeOffset? CreatedAt);

/// <summary>A flow that follows the instance: its orchestration's runtime status, and the timer it waits on for it.</summary>
/// <param name="Deadline">The instance's deadline as the flow knows it; null when it knows of none.</param>
/// <param name="PendingTimer">When a running flow will wake for this instance: its deadline, or a retry after a failed
/// try.</param>
/// <param name="RecentHistory">The flow's last events, oldest first.</param>
public sealed record FlowView(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    DateTimeOffset? Deadline,
    DateTimeOffset? PendingTimer,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? Failure,
    IReadOnlyList<FlowEventView> RecentHistory);

/// <summary>One history event: its type (ExecutionStarted, TimerCreated, EventRaised, TaskScheduled, TaskCompleted…),
/// when, the activity or event it names, and a timer's due time.</summary>
public sealed record FlowEventView(string Sequence, string EventType, DateTimeOffset? At, string? Name, DateTimeOffset? FireAt);
