using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The relay timer function's body: relays whatever the outbox still holds of every instance whose relay row is
/// overdue (a fast path that a crash or a failure cut short). A row is deleted only once handled, so a crash anywhere
/// means the next scan does it again.
/// </summary>
public sealed class RelayScan(RelayIndex index, OutboxRelay relay, RelayedOutboxes relayed, TimeProvider clock, IOptions<LifecycleOptions> options, ILogger<RelayScan> logger)
{
    /// <summary>Handles every row due now; returns how many it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        // Rows this process has relayed go first, and their relay rows with them: the scan relays none of them again.
        await relayed.FlushAsync(ct);
        var entries = await index.ListDueAsync(clock.GetUtcNow(), ct);
        await Parallel.ForEachAsync(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ScanConcurrency), CancellationToken = ct },
            async (entry, token) =>
            {
                using var scope = logger.BeginScope(new Dictionary<string, object> { ["Lifecycle"] = entry.Lifecycle, ["InstanceId"] = entry.InstanceId });
                await relay.RelayInstanceAsync(entry.Lifecycle, entry.InstanceId, token);
                await index.CompleteAsync(entry, token);
            });
        return entries.Count;
    }
}
