using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The timer function's body: everything in the due index that is due now. A timer sends the instance its
/// timeout; a relay entry moves whatever the instance's outbox still holds. A row is deleted only once handled,
/// so a crash anywhere means the next scan does it again.
/// </summary>
public sealed class TimerScan(
    DueIndex due,
    LifecycleRegistry lifecycles,
    OutboxRelay relay,
    TimeProvider clock,
    IOptions<LifecycleOptions> options,
    ILogger<TimerScan> logger)
{
    /// <summary>Handles every row due now; returns how many it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var entries = await due.ListDueAsync(clock.GetUtcNow(), ct);
        var handled = 0;
        await Parallel.ForEachAsync(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ScanConcurrency), CancellationToken = ct },
            async (entry, token) =>
            {
                if (await HandleAsync(entry, token))
                {
                    await due.CompleteAsync(entry, token);
                    Interlocked.Increment(ref handled);
                }
            });
        return handled;
    }

    private async Task<bool> HandleAsync(DueEntry entry, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Lifecycle"] = entry.Lifecycle, ["InstanceId"] = entry.InstanceId });
        if (entry.Kind == DueKind.Relay)
        {
            await relay.RelayInstanceAsync(entry.Lifecycle, entry.InstanceId, ct);
            return true;
        }

        if (lifecycles.Find(entry.Lifecycle) is not { } lifecycle)
        {
            logger.LogError("Due timer for unknown lifecycle {Lifecycle} dropped", entry.Lifecycle);
            return true;
        }

        var status = await lifecycle.TimeoutAsync(entry.InstanceId, entry.Due, ct);
        if (status == CommandStatus.Contended)
        {
            return false; // Still due: the next scan tries again.
        }

        logger.LogDebug("Timer {Due:O} fired: {Status}", entry.Due, status);
        return true;
    }
}
