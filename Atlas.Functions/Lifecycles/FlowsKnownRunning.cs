using System.Collections.Concurrent;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The flows this process has seen running: a fact for one is raised without reading its status first, which saves the
/// engine a read per fact (the raise reads it once more itself, and refuses a flow that has finished since, which then
/// takes the usual way). Safe from the loss the Azure Storage provider has for a flow whose start has not run (a flow
/// that has run is never Pending again) and from the silent drop of an event to an instance that is gone: an entry is
/// trusted only within <see cref="Trusted"/> of the flow's creation, less than the shortest retention
/// <see cref="FlowOptions.RetainFor"/> allows, so the flow cannot have been purged.
/// </summary>
public sealed class FlowsKnownRunning(TimeProvider clock)
{
    public static readonly TimeSpan Trusted = TimeSpan.FromMinutes(50);

    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _createdAt = new(StringComparer.Ordinal);

    public bool Knows(string flowId) =>
        _createdAt.TryGetValue(flowId, out var created) && clock.GetUtcNow() - created < Trusted;

    public void Saw(string flowId, DateTimeOffset createdAt)
    {
        if (_createdAt.Count >= Capacity)
        {
            _createdAt.Clear();
        }

        _createdAt[flowId] = createdAt;
    }

    public void Forget(string flowId) => _createdAt.TryRemove(flowId, out _);
}
