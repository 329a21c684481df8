using Atlas.Functions.Storage;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Reads and writes one instance's partition: the state row (guarded by its ETag) and its outbox rows, which are
/// always written together in one entity group transaction.
/// </summary>
public sealed class InstanceStore(ITableStore tables)
{
    public async Task<StoredState?> LoadAsync(string type, string id, CancellationToken ct)
    {
        var row = await tables.GetAsync(LifecycleKeys.Table, LifecycleKeys.Partition(type, id), LifecycleKeys.StateRow, ct);
        return row is null ? null : Read(row);
    }

    /// <summary>A page of the instances of <paramref name="type"/> last changed before <paramref name="before"/>, with
    /// their states (what a retention purge looks at). A scan of the type's partitions.</summary>
    public async Task<(IReadOnlyList<(string Id, StoredState State)> Instances, string? Continuation)> ChangedBeforeAsync(
        string type, DateTimeOffset before, string? continuation, CancellationToken ct)
    {
        var prefix = LifecycleKeys.PartitionPrefix(type);
        var page = await tables.QueryOlderThanAsync(LifecycleKeys.Table, prefix, "UpdatedAt", before, continuation, 1000, ct);
        var states = page.Rows.Where(r => r.RowKey == LifecycleKeys.StateRow).Select(r => (r.PartitionKey[prefix.Length..], Read(r))).ToList();
        return (states, page.Continuation);
    }

    /// <summary>Deletes an instance: its state row, under the ETag it was read with (one changed since stays), and its
    /// outbox rows, together. False when the state row has changed or gone.</summary>
    public async Task<bool> DeleteAsync(string type, string id, string etag, CancellationToken ct)
    {
        var partition = LifecycleKeys.Partition(type, id);
        // An outbox row added since it was read fails the batch: read it again (an ETag race, not an outside call).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var outbox = await ReadOutboxAsync(type, id, ct);
            List<TableOperation> operations =
            [
                TableOperation.Delete(partition, LifecycleKeys.StateRow, etag),
                .. outbox.Take(BatchRules.MaxOperations - 1).Select(r => TableOperation.Delete(partition, r.RowKey)),
            ];
            var write = await tables.ExecuteBatchAsync(LifecycleKeys.Table, operations, ct);
            if (write.Succeeded)
            {
                foreach (var row in outbox.Skip(BatchRules.MaxOperations - 1))
                {
                    await tables.WriteAsync(LifecycleKeys.Table, TableOperation.Delete(partition, row.RowKey), ct);
                }

                return true;
            }

            // The state row changed, or went: leave it. Otherwise an outbox row was relayed meanwhile: read them again.
            if (write.FailedOperation is null or 0)
            {
                return false;
            }
        }

        return false;
    }

    private static StoredState Read(TableRow row) => new(
        JoinState(row),
        row.GetLong("Version"),
        row.Properties.ContainsKey("DeadlineTicks") ? new DateTimeOffset(row.GetLong("DeadlineTicks"), TimeSpan.Zero) : null,
        row.GetTime("UpdatedAt"),
        row.ETag!,
        row.GetString("DeadlineTrace"),
        FactVersionOf(row));

    /// <summary>The version of the last commit whose fact went to the flow that follows the instance (none: no fact
    /// yet, or a row from before it was kept). The tests' drain compares it with what the flow says it heard.</summary>
    public static long? FactVersionOf(TableRow row) => row.Properties.ContainsKey(FactVersion) ? row.GetLong(FactVersion) : null;

    private const string FactVersion = "FactVersion";

    /// <summary>Writes the new state and its outbox at once, and deletes the <paramref name="relayed"/> outbox rows of
    /// earlier commits with them. PreconditionFailed or Conflict at operation 0: someone else moved first; NotFound past
    /// the new outbox: a relayed row had gone already.</summary>
    public Task<TableWrite> CommitAsync(
        string type, string id, StoredState? previous, string stateJson, long version, DateTimeOffset? deadline,
        IReadOnlyList<OutboxEntry> outbox, DateTimeOffset now, CancellationToken ct, string? deadlineTrace = null, long? factVersion = null,
        IReadOnlyList<string>? relayed = null)
    {
        var properties = new Dictionary<string, object?>
        {
            ["Version"] = version,
            ["UpdatedAt"] = now,
            ["DeadlineTicks"] = deadline?.UtcTicks,
            ["DeadlineTrace"] = deadline is null ? null : deadlineTrace,
            [FactVersion] = factVersion,
        };
        SplitState(stateJson, properties);
        var stateRow = new TableRow(LifecycleKeys.Partition(type, id), LifecycleKeys.StateRow, properties);
        var write = previous is null ? TableOperation.Insert(stateRow) : TableOperation.Replace(stateRow, previous.ETag);
        relayed ??= [];
        if (outbox.Count == 0 && relayed.Count == 0)
        {
            // Alone, the state row needs no batch: a single write is as atomic and costs storage less.
            return tables.WriteAsync(LifecycleKeys.Table, write, ct);
        }

        List<TableOperation> operations =
        [
            write,
            .. outbox.Select(e => TableOperation.Insert(e.ToRow(now))),
            .. relayed.Select(row => TableOperation.Delete(stateRow.PartitionKey, row)),
        ];
        return tables.ExecuteBatchAsync(LifecycleKeys.Table, operations, ct);
    }

    // A string property holds at most 64 KiB (32K UTF-16 chars), so a larger state spans State, State1, State2…
    // up to the 1 MiB an entity may hold (BatchRules refuses more).
    private const int ChunkChars = BatchRules.MaxStringChars;

    private static void SplitState(string json, Dictionary<string, object?> properties)
    {
        for (int offset = 0, chunk = 0; offset < json.Length || chunk == 0; offset += ChunkChars, chunk++)
        {
            properties[chunk == 0 ? "State" : $"State{chunk}"] = json.Substring(offset, Math.Min(ChunkChars, json.Length - offset));
        }
    }

    private static string JoinState(TableRow row)
    {
        var json = row.GetString("State")!;
        for (var chunk = 1; row.GetString($"State{chunk}") is { } more; chunk++)
        {
            json += more;
        }

        return json;
    }

    /// <summary>Every outbox row the instance still holds, oldest first.</summary>
    public async Task<IReadOnlyList<TableRow>> ReadOutboxAsync(string type, string id, CancellationToken ct)
    {
        var rows = new List<TableRow>();
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(
                LifecycleKeys.Table, LifecycleKeys.Partition(type, id), LifecycleKeys.OutboxPrefix, continuation, 1000, ct);
            rows.AddRange(page.Rows);
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return rows;
    }
}

/// <summary>The state row as stored: the state's JSON, how many transitions made it, and its pending deadline.</summary>
/// <param name="DeadlineTrace">The traceparent of the command that set <paramref name="Deadline"/>: its firing continues it.</param>
/// <param name="FactVersion">The version of the last commit whose fact went to the instance's flow.</param>
public sealed record StoredState(string Json, long Version, DateTimeOffset? Deadline, DateTimeOffset? UpdatedAt, string ETag, string? DeadlineTrace = null, long? FactVersion = null);
