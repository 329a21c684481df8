using Atlas.Core.Auth;
using Atlas.Core.Settlement;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Atlas.Functions.Ops;

namespace Atlas.Functions.Settlement;

/// <summary>Settlement on its schedule (the period that just ended), on a platform admin's demand (the current period,
/// or one named), and its report. Both start the period's <see cref="SettlementFlow"/>, or join the run in progress.</summary>
public static class SettlementFunctions
{
    // How often a caller waiting for a run looks at it; the Durable client's own wait polls every 2 s.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public sealed record RunRequest(string? Period);

    public sealed record Totals(string Currency, long Paid, long Held, long Failed, long NoAccount, long Pending);

    public sealed record SettlementReport(
        string Period, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<Totals> Totals, IReadOnlyList<SettlementLine> Lines, ReconciliationReport? Reconciliation);

    /// <summary>On its schedule (<c>Settlement:Schedule</c>, once after each period ends): the period that just ended.</summary>
    [Function("Settlement")]
    public static Task SettleLastPeriodAsync(
        [TimerTrigger("%Settlement:Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        SettlementRun run,
        IOptions<SettlementOptions> options,
        CancellationToken ct) =>
        StartAsync(durable, run.Previous, options, ct);

    /// <summary>Settles a period now and answers its report; a run that takes longer than <c>Settlement:WaitFor</c>
    /// is answered 202 and goes on (its report at the Location).</summary>
    [Function("RunSettlement")]
    [Audited("settlement.run")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(SettlementReport))]
    [Responds(StatusCodes.Status202Accepted, typeof(SettlementReport))]
    public static async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settlements")] HttpRequest http,
        [Body] RunRequest? request,
        [DurableClient] DurableTaskClient durable,
        SettlementRun run,
        SettlementStore store,
        IOptions<SettlementOptions> options,
        TimeProvider clock,
        CancellationToken ct)
    {
        var period = run.Current;
        if (request?.Period is { } id)
        {
            if (SettlementPeriod.Parse(id, options.Value.Every) is not { } named || named.Start > clock.GetUtcNow())
            {
                return Problems.Validation("period", PeriodRule(options.Value));
            }

            period = named;
        }

        var instanceId = await StartAsync(durable, period, options, ct);
        var done = await WaitAsync(durable, instanceId, options.Value.WaitFor, ct);
        var report = Report(period, await store.ReadAsync(period.Id, ct), null);
        return done ? Results.Ok(report) : Results.Accepted($"/api/settlements/{period.Id}", report);
    }

    [Function("GetSettlement")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(SettlementReport))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settlements/{period}")] HttpRequest http,
        string period, bool? reconcile, SettlementStore store, Reconciliation reconciliation, IRetriedStripeApi stripe, IOptions<SettlementOptions> options, CancellationToken ct)
    {
        if (SettlementPeriod.Parse(period, options.Value.Every) is not { } named)
        {
            return Problems.Validation("period", PeriodRule(options.Value));
        }

        var lines = await store.ReadAsync(named.Id, ct);
        return Results.Ok(Report(named, lines, reconcile == true ? await reconciliation.CheckAsync(stripe, named, lines, ct) : null));
    }

    /// <summary>Starts the period's run, unless one is in progress (then that is the run): a finished run is
    /// replaced, and pays only what it left unpaid.</summary>
    private static async Task<string> StartAsync(DurableTaskClient durable, SettlementPeriod period, IOptions<SettlementOptions> options, CancellationToken ct)
    {
        // Running already: this caller waits for the same run.
        var instanceId = SettlementFlow.InstanceId(period.Id);
        await durable.StartOnceAsync(SettlementFlow.Name, SettlementFlow.Start(period.Id, options), instanceId, ct);
        return instanceId;
    }

    // Wall time, not the app's clock: this bounds how long an HTTP request is held, whatever time the app thinks it is.
    private static async Task<bool> WaitAsync(DurableTaskClient durable, string instanceId, TimeSpan timeout, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not { IsCompleted: true })
        {
            if (waited.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(Poll, ct);
        }

        return true;
    }

    private static string PeriodRule(SettlementOptions options) => options.Every >= TimeSpan.FromDays(1)
        ? "period is a day that has begun, as yyyy-MM-dd."
        : $"period is the start of a {options.Every.TotalMinutes}-minute period that has begun, as yyyy-MM-ddTHH:mm (UTC).";

    private static SettlementReport Report(SettlementPeriod period, IReadOnlyList<SettlementLine> lines, ReconciliationReport? reconciliation)
    {
        long Sum(IEnumerable<SettlementLine> of, PayoutStatus status) => of.Where(l => l.Status == status).Sum(l => l.Amount);
        var totals = lines
            .GroupBy(l => l.Currency, StringComparer.Ordinal)
            .Select(g => new Totals(g.Key, Sum(g, PayoutStatus.Paid), g.Sum(l => l.Held), Sum(g, PayoutStatus.Failed), Sum(g, PayoutStatus.NoAccount), Sum(g, PayoutStatus.Pending)))
            .ToList();
        return new SettlementReport(period.Id, period.Start, period.End, totals, [.. lines.OrderBy(l => l.DriverId, StringComparer.Ordinal)], reconciliation);
    }
}
