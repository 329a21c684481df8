using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The state rows this process last wrote, by partition, so a busy instance's next command skips a read. Only a
/// hint: the ETag decides every write, and a stale entry costs one failed write and a fresh read. Bounded: when
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

    public void Remove(string partition) => _rows.TryRemove(partition, out _);
}
