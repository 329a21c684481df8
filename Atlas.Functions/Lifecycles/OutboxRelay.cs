using System.Text.Json;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Moves outbox rows to their queues (a fact straight to its flow, when it can: <see cref="FlowHandOff"/>; a direct
/// route's effect carried out here: <see cref="DirectEffects"/>), then deletes
/// them: a commit's relay leaves them to the instance's next commit (<see cref="RelayedOutboxes"/>), the scan deletes them
/// at once. A crash between sending and deleting sends them again on the next relay: delivery is at least once, and
/// receivers dedupe by effect id.
/// </summary>
public sealed class OutboxRelay(
    InstanceStore instances, IQueueClient queues, RelayedOutboxes relayed, FlowHandOff flows, DirectEffects direct, ILogger<OutboxRelay> logger)
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

    /// <summary>Sends a commit's outbox (the entries are known, no read needed); its rows wait for the instance's next
    /// commit to be deleted.</summary>
    private async Task RelayAsync(IReadOnlyList<OutboxEntry> entries, RelayEntry relayEntry, CancellationToken ct)
    {
        await SendAsync(entries, ct);
        relayed.Add(LifecycleKeys.Partition(relayEntry.Lifecycle, relayEntry.InstanceId), entries.Select(e => e.RowKey), relayEntry);
    }

    /// <summary>The scan's path: whatever an instance's outbox still holds, this process's relayed rows that wait
    /// included (sent again, and deleted with the rest).</summary>
    public async Task<int> RelayInstanceAsync(string lifecycle, string instanceId, CancellationToken ct)
    {
        var waiting = relayed.Take(LifecycleKeys.Partition(lifecycle, instanceId), int.MaxValue);
        var entries = (await instances.ReadOutboxAsync(lifecycle, instanceId, ct))
            .Select(r => OutboxEntry.FromRow(lifecycle, instanceId, r))
            .ToList();
        await SendAsync(entries, ct);
        await relayed.DeleteNowAsync(LifecycleKeys.Partition(lifecycle, instanceId), [.. entries.Select(e => e.RowKey)], ct);
        if (waiting is not null)
        {
            relayed.Deleted(waiting);
        }

        return entries.Count;
    }

    private Task SendAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken ct) =>
        Task.WhenAll(entries.Select(async e =>
        {
            var done = e.Queue == FlowFact.Queue ? await flows.TryAsync(e.Envelope, ct) : await direct.TryAsync(e.Envelope, ct);
            if (!done)
            {
                await queues.SendAsync(e.Queue, JsonSerializer.Serialize(e.Envelope, LifecycleJson.Options), TimeSpan.Zero, ct);
            }
        }));
}
