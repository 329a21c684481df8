namespace Atlas.Functions.Common;

/// <summary>
/// Writes items in groups: while one write is in flight, the items that arrive meanwhile wait and go out together in
/// the next (a group commit), as many as <c>fits</c> allows. Alone, an item is written at once. A caller's task
/// completes when the write that holds its item has, and fails with it.
/// </summary>
public sealed class GroupCommit<T>(Func<IReadOnlyList<T>, Task> write, Func<IReadOnlyList<T>, T, bool> fits)
{
    private readonly Lock _gate = new();
    private readonly List<(T Item, TaskCompletionSource Done)> _waiting = [];
    private bool _writing;

    public Task AddAsync(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _waiting.Add((item, done));
            start = !_writing;
            _writing = true;
        }

        if (start)
        {
            _ = WriteWhileWaitingAsync();
        }

        return done.Task;
    }

    private async Task WriteWhileWaitingAsync()
    {
        while (true)
        {
            List<(T Item, TaskCompletionSource Done)> group = [];
            lock (_gate)
            {
                var items = new List<T>();
                while (_waiting.Count > 0 && (items.Count == 0 || fits(items, _waiting[0].Item)))
                {
                    items.Add(_waiting[0].Item);
                    group.Add(_waiting[0]);
                    _waiting.RemoveAt(0);
                }

                if (group.Count == 0)
                {
                    _writing = false;
                    return;
                }
            }

            try
            {
                await write([.. group.Select(g => g.Item)]);
                group.ForEach(g => g.Done.TrySetResult());
            }
            catch (Exception e)
            {
                group.ForEach(g => g.Done.TrySetException(e));
            }
        }
    }
}
