using System.Text.Json;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Moves outbox rows to their queues (a fact straight to its flow, when it can: <see cref="FlowHandOff"/>), then deletes
/// them. A crash between the two sends them again on the next relay: delivery is at least once, and receivers dedupe by
/// effect id.
/// </summary>
public sealed class OutboxRelay(
    ITableStore tables, InstanceStore instances, IQueueClient queues, RelayIndex index, FlowHandOff flows, ILogger<OutboxRelay> logger)
{
    /// <summary>Relays that may go on after their commands have answered. Past it a command relays before it answers,
    /// as a queue trigger's batch then waits for its own work: without that bound, work pulled off queues faster
    /// than it was relayed took the CPU from what answers callers (a Stripe webhook's acknowledgement, p99 0.8 → 3 s).</summary>
    public const int MaxAfterAnswer = 16;

    private int _inFlight;

    /// <summary>The fast path, right after a commit: while fewer than <see cref="MaxAfterAnswer"/> are under way, relays
    /// the commit's outbox in the background, keeping the instance's lock until it ends, and returns at once; else
    /// relays it before returning. A relay that fails, or a process that dies first, leaves it to the relay scan.</summary>
    public Task RelayAfterCommitAsync(IReadOnlyList<OutboxEntry> entries, RelayEntry relayEntry, InstanceLocks.Held instanceLock)
    {
        if (Interlocked.Increment(ref _inFlight) > MaxAfterAnswer)
        {
            Interlocked.Decrement(ref _inFlight);
            return RelayOrLeaveToScanAsync(entries, relayEntry);
        }

        var kept = instanceLock.HandOver();
        _ = Task.Run(async () =>
        {
            try
            {
                await RelayOrLeaveToScanAsync(entries, relayEntry);
            }
            finally
            {
                kept.Dispose();
                Interlocked.Decrement(ref _inFlight);
            }
        });
        return Task.CompletedTask;
    }

    private async Task RelayOrLeaveToScanAsync(IReadOnlyList<OutboxEntry> entries, RelayEntry relayEntry)
    {
        try
        {
            await RelayAsync(entries, relayEntry, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Committed is committed: the relay row makes the relay scan send these later.
            logger.LogWarning(e, "Relaying {Count} effects failed; the relay scan will retry", entries.Count);
        }
    }

    /// <summary>Until every relay begun after an answer has ended (a host stopping; a test draining the app).</summary>
    public async Task QuietAsync(CancellationToken ct)
    {
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(5, ct);
        }
    }

    /// <summary>Sends a commit's outbox and deletes it: the entries are known, no read needed.</summary>
    private async Task RelayAsync(IReadOnlyList<OutboxEntry> entries, RelayEntry relayEntry, CancellationToken ct)
    {
        await SendAndDeleteAsync(entries, ct);
        index.Finished(relayEntry);
    }

    /// <summary>The scan's path: whatever an instance's outbox still holds.</summary>
    public async Task<int> RelayInstanceAsync(string lifecycle, string instanceId, CancellationToken ct)
    {
        var entries = (await instances.ReadOutboxAsync(lifecycle, instanceId, ct))
            .Select(r => OutboxEntry.FromRow(lifecycle, instanceId, r))
            .ToList();
        await SendAndDeleteAsync(entries, ct);
        return entries.Count;
    }

    private async Task SendAndDeleteAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await Task.WhenAll(entries.Select(async e =>
        {
            if (e.Queue != FlowFact.Queue || !await flows.TryAsync(e.Envelope, ct))
            {
                await queues.SendAsync(e.Queue, JsonSerializer.Serialize(e.Envelope, LifecycleJson.Options), TimeSpan.Zero, ct);
            }
        }));

        var partition = LifecycleKeys.Partition(entries[0].Lifecycle, entries[0].InstanceId);
        if (entries.Count == 1)
        {
            // One row: a plain delete costs storage less than a batch.
            await tables.WriteAsync(LifecycleKeys.Table, TableOperation.Delete(partition, entries[0].RowKey), ct);
            return;
        }

        foreach (var chunk in entries.Chunk(BatchRules.MaxOperations))
        {
            var batch = await tables.ExecuteBatchAsync(
                LifecycleKeys.Table, chunk.Select(e => TableOperation.Delete(partition, e.RowKey)).ToList(), ct);
            if (!batch.Succeeded)
            {
                // Another relay deleted some of them first; a batch is all or nothing, so delete one by one.
                foreach (var entry in chunk)
                {
                    await tables.WriteAsync(LifecycleKeys.Table, TableOperation.Delete(partition, entry.RowKey), ct);
                }
            }
        }
    }
}
