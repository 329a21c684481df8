using System.Text.Json;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// What a flow that follows lifecycles shows as its custom status, for the flow watch, the ops view and the tests'
/// drain: whether it is making a call or firing a deadline, when it next wakes, and what it last heard of each instance.
/// </summary>
/// <param name="Next">When its next timer is due; null when it waits on news only.</param>
public sealed record FlowStatus(bool Busy, DateTimeOffset? Next, IReadOnlyDictionary<string, HeardView>? Heard)
{
    public static FlowStatus? Read(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<FlowStatus>(serialized, LifecycleJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What a flow last heard of one instance: its version, its deadline, whether it is over, and when the flow
/// will wake for it (a retry, or a timer that came early).</summary>
public sealed record HeardView(long Version, DateTimeOffset? Deadline, bool Over, DateTimeOffset? WakeAt);
