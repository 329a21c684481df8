using Atlas.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Outbox rows already relayed, waiting to be deleted. They go with the next commit of their instance (in its batch,
/// which saves a storage call) or, after <see cref="LifecycleOptions.RelayCleanupDelay"/>, in a call of their own.
/// A commit's relay row goes only once its outbox rows have gone (<see cref="RelayIndex.Finished"/>). So a process
/// that stops first leaves a relay row, and the scan relays those rows again: they are delivered twice and the
/// receivers deduplicate them. They are never lost and never left behind.
/// </summary>
public sealed class RelayedOutboxes(ITableStore tables, RelayIndex index, IOptions<LifecycleOptions> options, ILogger<RelayedOutboxes> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Relayed> _waiting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>One partition's relayed rows, and the relay rows that go once these have.</summary>
    public sealed record Relayed(string Partition, IReadOnlyList<string> RowKeys, IReadOnlyList<RelayEntry> Entries)
    {
        public Relayed With(Relayed more) => new(Partition, [.. RowKeys, .. more.RowKeys], [.. Entries, .. more.Entries]);
    }

    /// <summary>A commit's outbox has been relayed: its rows wait for the instance's next commit, or the cleanup.</summary>
    public void Add(string partition, IEnumerable<string> rowKeys, RelayEntry entry) =>
        Wait(new Relayed(partition, [.. rowKeys], [entry]));

    /// <summary>Makes a commit that inserts <paramref name="inserts"/> outbox rows, and deletes in its batch the rows that
    /// wait in its partition. A commit that fails leaves them waiting. One refused because a row had gone already (the
    /// scan relayed the instance) is made again without them, and they go on their own.</summary>
    public async Task<TableWrite> CommitWithAsync(string partition, int inserts, Func<IReadOnlyList<string>, Task<TableWrite>> commit)
    {
        if (Take(partition, BatchRules.MaxOperations - 1 - inserts) is not { } relayed)
        {
            return await commit([]);
        }

        var deleted = false;
        try
        {
            var write = await commit(relayed.RowKeys);
            if (write is { Succeeded: false, FailedOperation: { } failed } && failed > inserts)
            {
                return await commit([]);
            }

            deleted = write.Succeeded;
            return write;
        }
        finally
        {
            if (deleted)
            {
                Deleted(relayed);
            }
            else
            {
                Wait(relayed);
            }
        }
    }

    /// <summary>The rows waiting in the partition, when at most <paramref name="room"/>; the caller reports them
    /// <see cref="Deleted"/>, or hands them back (<see cref="Wait"/>).</summary>
    public Relayed? Take(string partition, int room)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(partition, out var relayed) || relayed.RowKeys.Count > room)
            {
                return null;
            }

            _waiting.Remove(partition);
            return relayed;
        }
    }

    /// <summary>The rows are deleted: their relay rows may go.</summary>
    public void Deleted(Relayed relayed)
    {
        foreach (var entry in relayed.Entries)
        {
            index.Finished(entry);
        }
    }

    /// <summary>Rows that wait to be deleted (new, or handed back by a commit that did not take them).</summary>
    public void Wait(Relayed relayed)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(relayed.Partition, out var earlier))
            {
                _waiting[relayed.Partition] = earlier.With(relayed);
                return;
            }

            _waiting[relayed.Partition] = relayed;
        }

        var delay = options.Value.RelayCleanupDelay;
        if (delay != Timeout.InfiniteTimeSpan)
        {
            _ = CleanUpLaterAsync(relayed.Partition, delay);
        }
    }

    /// <summary>Deletes what waits in <paramref name="partition"/> now (before its outbox is read as pending).</summary>
    public async Task FlushAsync(string partition, CancellationToken ct)
    {
        if (Take(partition, int.MaxValue) is { } relayed)
        {
            await DeleteAsync(relayed, ct);
        }
    }

    /// <summary>Deletes everything waiting now (before the relay scan looks for overdue relays; at a stop).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        List<Relayed> all;
        lock (_gate)
        {
            all = [.. _waiting.Values];
            _waiting.Clear();
        }

        await Task.WhenAll(all.Select(relayed => DeleteAsync(relayed, ct)));
    }

    /// <summary>Stops the cleanup timers; what waits for them is left to the relay scan.</summary>
    public void Dispose() => _stopping.Cancel();

    private async Task CleanUpLaterAsync(string partition, TimeSpan delay)
    {
        try
        {
            // Wall time, not the injected clock: it bounds how long rows wait in memory, nothing a rule depends on.
            await Task.Delay(delay, _stopping.Token);
            await FlushAsync(partition, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // The relay rows stay, so the scan relays these again and deletes them.
            logger.LogWarning(e, "Deleting relayed outbox rows of {Partition} failed; the relay scan will", partition);
        }
    }

    private async Task DeleteAsync(Relayed relayed, CancellationToken ct)
    {
        await DeleteNowAsync(relayed.Partition, relayed.RowKeys, ct);
        Deleted(relayed);
    }

    /// <summary>Deletes outbox rows of one partition now (the scan's path too); a row gone already is no failure.</summary>
    public async Task DeleteNowAsync(string partition, IReadOnlyList<string> rowKeys, CancellationToken ct)
    {
        foreach (var chunk in rowKeys.Select(row => TableOperation.Delete(partition, row)).Chunk(BatchRules.MaxOperations))
        {
            // One row: a plain delete costs storage less than a batch. A batch fails whole if a row has gone already
            // (another relay deleted it first), so then the rows go one by one.
            if (chunk.Length > 1 && (await tables.ExecuteBatchAsync(LifecycleKeys.Table, chunk, ct)).Succeeded)
            {
                continue;
            }

            foreach (var operation in chunk)
            {
                await tables.WriteAsync(LifecycleKeys.Table, operation, ct);
            }
        }
    }
}
