using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The state rows this process last wrote or read, by partition, so a busy instance's next command skips a read; and
/// the instances a read found absent, so the first command inserts unread. Only a hint: the ETag decides every write
/// (an insert, that no row is there), and a stale entry costs one failed write and a fresh read. Bounded: when full it
/// starts over, which costs reads, never correctness.
/// </summary>
public sealed class StateCache(IOptions<LifecycleOptions> options)
{
    // Stands for "a read found no instance"; Get never hands it out.
    private static readonly StoredState Absent = new(string.Empty, 0, null, null, string.Empty);

    private readonly ConcurrentDictionary<string, StoredState> _rows = new(StringComparer.Ordinal);

    public StoredState? Get(string partition) => _rows.GetValueOrDefault(partition) is { } row && !ReferenceEquals(row, Absent) ? row : null;

    public bool KnownAbsent(string partition) => ReferenceEquals(_rows.GetValueOrDefault(partition), Absent);

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

    /// <summary>What a read outside the instance's lock found (null: no instance): kept unless a newer state is there
    /// already, so a read that lost a race with a commit does not put back what was before it.</summary>
    public void Offer(string partition, StoredState? state)
    {
        var kept = _rows.GetValueOrDefault(partition);
        if (state is null ? kept is null : kept is null || kept.Version < state.Version)
        {
            Set(partition, state ?? Absent);
        }
    }

    public void Remove(string partition) => _rows.TryRemove(partition, out _);
}
