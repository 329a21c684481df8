using Atlas.Functions.Storage;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Writes relay rows one bucket (a partition) at a time, as a group commit: a commit's row goes out in one batch with
/// every row that came for the same bucket while the last batch was on its way, and the deletes of rows whose fast path
/// has finished ride along, or go in a batch of their own after <see cref="LifecycleOptions.RelayCleanupDelay"/>. A
/// commit alone waits for no one; under load many share one storage call (docs/benchmarks.md, issue 21). A delete this
/// process never wrote (it stopped first) leaves a row that makes the scan relay an empty outbox: wasted, never wrong.
/// </summary>
internal sealed class RelayRowWriter(ITableStore tables, string table, TimeSpan cleanupDelay, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Writes the row; returns once it is stored.</summary>
    public Task UpsertAsync(TableRow row, CancellationToken ct)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var bucket = BucketOf(row.PartitionKey);
            bucket.Waiting.Add(new Pending(TableOperation.Upsert(row), written));
            if (bucket.Drain is null)
            {
                StartDrain(row.PartitionKey, bucket);
            }
        }

        return written.Task.WaitAsync(ct);
    }

    /// <summary>Deletes the row with the next batch of its bucket, or after the cleanup delay.</summary>
    public void Delete(string partitionKey, string rowKey)
    {
        lock (_gate)
        {
            var bucket = BucketOf(partitionKey);
            bucket.Waiting.Add(new Pending(TableOperation.Delete(partitionKey, rowKey), null));
            if (bucket.Drain is null && !bucket.CleanupArmed && cleanupDelay != Timeout.InfiniteTimeSpan)
            {
                bucket.CleanupArmed = true;
                _ = CleanUpLaterAsync(partitionKey, bucket);
            }
        }
    }

    /// <summary>Writes everything waiting now, and returns when it is written.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        List<Task> drains;
        lock (_gate)
        {
            drains = _buckets.Select(b => b.Value.Drain ?? StartDrain(b.Key, b.Value)).ToList();
        }

        await Task.WhenAll(drains).WaitAsync(ct);
    }

    /// <summary>Stops the cleanup timers; what waits for them is left to the scan.</summary>
    public void Dispose() => _stopping.Cancel();

    private Bucket BucketOf(string partitionKey)
    {
        if (!_buckets.TryGetValue(partitionKey, out var bucket))
        {
            _buckets[partitionKey] = bucket = new Bucket();
        }

        return bucket;
    }

    // Called under the gate.
    private Task StartDrain(string partitionKey, Bucket bucket) => bucket.Drain = Task.Run(() => DrainAsync(partitionKey, bucket));

    private async Task CleanUpLaterAsync(string partitionKey, Bucket bucket)
    {
        try
        {
            // Wall time, not the app's clock: this only gathers deletes into fewer calls, and a test's or a
            // benchmark's clock may stand still for as long as it likes.
            await Task.Delay(cleanupDelay, TimeProvider.System, _stopping.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        lock (_gate)
        {
            bucket.CleanupArmed = false;
            if (bucket.Drain is not null)
            {
                return;
            }

            if (bucket.Waiting.Count > 0)
            {
                StartDrain(partitionKey, bucket);
            }
            else
            {
                _buckets.Remove(partitionKey);
            }
        }
    }

    private async Task DrainAsync(string partitionKey, Bucket bucket)
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                batch = Take(bucket.Waiting);
                if (batch.Count == 0)
                {
                    bucket.Drain = null;
                    if (!bucket.CleanupArmed)
                    {
                        _buckets.Remove(partitionKey);
                    }

                    return;
                }
            }

            await WriteAsync(batch);
        }
    }

    /// <summary>Up to a batch's worth, one operation per row (a batch may not name a row twice).</summary>
    private static List<Pending> Take(List<Pending> waiting)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<Pending>();
        foreach (var pending in waiting)
        {
            if (batch.Count < BatchRules.MaxOperations && rows.Add(pending.Operation.Row.RowKey))
            {
                batch.Add(pending);
            }
        }

        waiting.RemoveAll(batch.Contains);
        return batch;
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                var write = await tables.ExecuteBatchAsync(table, batch.Select(p => p.Operation).ToList(), CancellationToken.None);
                if (write.Succeeded)
                {
                    batch.ForEach(p => p.Written?.TrySetResult());
                    return;
                }
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Written?.TrySetException(e));
                logger.LogWarning(e, "Writing {Count} relay rows failed", batch.Count);
                return;
            }
        }

        // One row, or a batch refused because the scan deleted one of its rows first (all or nothing): one by one.
        foreach (var pending in batch)
        {
            await WriteOneAsync(pending);
        }
    }

    private async Task WriteOneAsync(Pending pending)
    {
        try
        {
            var write = await tables.WriteAsync(table, pending.Operation, CancellationToken.None);
            if (!write.Succeeded && pending.Written is not null)
            {
                throw new InvalidOperationException($"Upserting relay row {pending.Operation.Row.RowKey} returned {write.Status}.");
            }

            pending.Written?.TrySetResult();
        }
        catch (Exception e)
        {
            if (pending.Written is null)
            {
                logger.LogWarning(e, "Deleting relay row {RowKey} failed; the scan will relay an empty outbox", pending.Operation.Row.RowKey);
            }

            pending.Written?.TrySetException(e);
        }
    }

    private sealed class Bucket
    {
        public List<Pending> Waiting { get; } = [];

        /// <summary>The batches being written, while any are.</summary>
        public Task? Drain { get; set; }

        public bool CleanupArmed { get; set; }
    }

    /// <param name="Written">Null for a delete: nobody waits for it.</param>
    private sealed record Pending(TableOperation Operation, TaskCompletionSource? Written);
}
