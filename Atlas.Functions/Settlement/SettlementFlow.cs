using Atlas.Functions.Ledger;
using Atlas.Functions.Stripe;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Settlement;

/// <summary>
/// A period's settlement as a Durable orchestration (instance <c>settle-{period}</c>): a page of drivers at a time,
/// fanned out to <c>Settlement:Parallelism</c> activities of a few drivers each and fanned back in, then the next
/// page in a fresh execution (ContinueAsNew), so the history stays one page long however many drivers there are.
/// Each activity is retried; one that still fails leaves its drivers' lines pending for a rerun, which pays nobody
/// twice (the lines are the record, the transfer's idempotency key is the line's). Version 2 ends by reconciling
/// the period (each paid line against the ledger and Stripe's transfer) and says how many lines disagree.
/// </summary>
public static class SettlementFlow
{
    /// <summary>An orchestrator's name carries its version: a change to the steps it takes ships under a new name
    /// beside the old one, which keeps finishing the runs it began (docs/lifecycles.md, "Rules").</summary>
    public const string V1 = "SettlePeriodV1";

    public const string V2 = "SettlePeriodV2";

    /// <summary>What new runs start as.</summary>
    public const string Name = V2;

    /// <summary>Drivers each activity settles, one after another.</summary>
    public const int DriversPerActivity = 8;

    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public static string InstanceId(string periodId) => $"settle-{periodId}";

    /// <param name="After">The last driver of the pages already settled.</param>
    /// <param name="Parallelism">Activities in flight: captured at the start, so every page of a run replays alike.</param>
    public sealed record Input(string PeriodId, int Parallelism, string? After = null, SettlementProgress? Progress = null);

    /// <summary>What the run did: drivers settled, drivers left pending because their activity kept failing, and
    /// (from version 2) the lines the reconciliation found at odds.</summary>
    public sealed record SettlementProgress(int Drivers, int LeftPending, int? Mismatches = null);

    public sealed record DriversPage(string? After, int Take);

    public sealed record DriverBatch(string PeriodId, IReadOnlyList<LedgerStore.LedgerDriver> Drivers);

    /// <summary>Kept while runs it began may still be going: pages of drivers, nothing after.</summary>
    [Function(V1)]
    public static Task<SettlementProgress> RunV1Async(
        [OrchestrationTrigger] TaskOrchestrationContext context) =>
        SettleAsync(context, InputOf(context), reconcile: false);

    [Function(V2)]
    public static Task<SettlementProgress> RunV2Async(
        [OrchestrationTrigger] TaskOrchestrationContext context) =>
        SettleAsync(context, InputOf(context), reconcile: true);

    public static async Task<SettlementProgress> SettleAsync(TaskOrchestrationContext context, Input input, bool reconcile)
    {
        var progress = input.Progress ?? new SettlementProgress(0, 0);
        var take = input.Parallelism * DriversPerActivity;
        var drivers = await context.CallActivityAsync<IReadOnlyList<LedgerStore.LedgerDriver>>(
            nameof(ListSettlementDriversAsync), new DriversPage(input.After, take), Retried);

        var batches = drivers.Chunk(DriversPerActivity).Select(batch => SettleBatchAsync(context, new DriverBatch(input.PeriodId, batch))).ToList();
        var leftPending = (await Task.WhenAll(batches)).Sum();
        progress = new SettlementProgress(progress.Drivers + drivers.Count, progress.LeftPending + leftPending);

        if (drivers.Count == take)
        {
            context.ContinueAsNew(input with { After = drivers[^1].DriverId, Progress = progress });
            return progress;
        }

        return reconcile
            ? progress with { Mismatches = await context.CallActivityAsync<int>(nameof(ReconcileSettlementAsync), input.PeriodId, Retried) }
            : progress;
    }

    [Function(nameof(ListSettlementDriversAsync))]
    public static Task<IReadOnlyList<LedgerStore.LedgerDriver>> ListSettlementDriversAsync(
        [ActivityTrigger] DriversPage page, LedgerStore ledger, CancellationToken ct) =>
        ledger.ListDriversAsync(page.After, page.Take, ct);

    [Function(nameof(SettleDriversAsync))]
    public static Task SettleDriversAsync(
        [ActivityTrigger] DriverBatch batch, SettlementRun run, CancellationToken ct) =>
        run.SettleAsync(run.Period(batch.PeriodId), batch.Drivers, ct);

    /// <summary>Reconciles the period; the disagreements themselves are at <c>GET /api/settlements/{period}?reconcile=true</c>.</summary>
    [Function(nameof(ReconcileSettlementAsync))]
    public static async Task<int> ReconcileSettlementAsync(
        [ActivityTrigger] string periodId, SettlementRun run, SettlementStore store, Reconciliation reconciliation, IStripeApi stripe, SettlementMetrics metrics, ILogger<SettlementRun> logger, CancellationToken ct)
    {
        var report = await reconciliation.CheckAsync(stripe, run.Period(periodId), await store.ReadAsync(periodId, ct), ct);
        // Counted here, once per run, not when an operator asks GET /api/settlements/{period}?reconcile=true.
        foreach (var mismatch in report.Mismatches)
        {
            metrics.SettlementMismatch(mismatch.Currency);
        }

        if (report.Mismatches.Count > 0)
        {
            logger.LogWarning("Settlement {Period}: {Count} of {Checked} lines do not reconcile", periodId, report.Mismatches.Count, report.Checked);
        }

        return report.Mismatches.Count;
    }

    /// <summary>The input a run of <paramref name="periodId"/> starts with, under today's settings.</summary>
    public static Input Start(string periodId, IOptions<SettlementOptions> options) => new(periodId, options.Value.Parallelism);

    private static Input InputOf(TaskOrchestrationContext context) =>
        context.GetInput<Input>() ?? throw new InvalidOperationException("A settlement needs its period.");

    // How many drivers a batch left pending: none, or all of them once its retries are spent.
    private static async Task<int> SettleBatchAsync(TaskOrchestrationContext context, DriverBatch batch)
    {
        try
        {
            await context.CallActivityAsync(nameof(SettleDriversAsync), batch, Retried);
            return 0;
        }
        catch (TaskFailedException)
        {
            return batch.Drivers.Count;
        }
    }
}
