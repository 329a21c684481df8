using System.Text.Json;

namespace Atlas.Functions.Lifecycles;

/// <summary>An instance as the ops endpoint shows it: enough to diagnose a stuck lifecycle without a debugger.</summary>
public sealed record InstanceView(
    string Lifecycle,
    string Id,
    long Version,
    JsonElement State,
    DateTimeOffset? Deadline,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<PendingEffectView> Outbox);

public sealed record PendingEffectView(string EffectId, string Kind, string Queue, DateTimeOffset? CreatedAt);
