using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The state rows this process last wrote or read, by partition, so a busy instance's next command skips a read. Only
/// a hint: the ETag decides every write, and a stale entry costs one failed write and a fresh read. Bounded: when
/// full it starts over, which costs reads, never correctness.
/// </summary>
public sealed class StateCache(IOptions<LifecycleOptions> options)
{
    private readonly ConcurrentDictionary<string, StoredState> _rows = new(StringComparer.Ordinal);

    public StoredState? Get(string partition) => _rows.GetValueOrDefault(partition);

    public void Set(string partition, StoredState state)
    {
        var capacity = options.Value.StateCacheSize;
        if (capacity <= 0)
        {
            return;
        }

        if (_rows.Count >= capacity)
        {
            _rows.Clear();
        }

        _rows[partition] = state;
    }

    /// <summary>A row read outside the instance's lock: kept unless a newer one is there already, so a read that
    /// lost a race with a commit does not put back the state before it.</summary>
    public void Offer(string partition, StoredState state)
    {
        if (_rows.GetValueOrDefault(partition) is not { } kept || kept.Version < state.Version)
        {
            Set(partition, state);
        }
    }

    public void Remove(string partition) => _rows.TryRemove(partition, out _);
}
