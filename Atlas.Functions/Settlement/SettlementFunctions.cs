using Atlas.Core.Auth;
using Atlas.Core.Settlement;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Settlement;

/// <summary>Settlement on its schedule (the period that just ended), on a platform admin's demand (the current period,
/// or one named), and its report.</summary>
public static class SettlementFunctions
{
    public sealed record RunRequest(string? Period);

    public sealed record Totals(string Currency, long Paid, long Held, long Failed, long NoAccount, long Pending);

    public sealed record SettlementReport(
        string Period, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<Totals> Totals, IReadOnlyList<SettlementLine> Lines, ReconciliationReport? Reconciliation);

    /// <summary>On its schedule (<c>Settlement:Schedule</c>, once after each period ends): the period that just ended.</summary>
    [Function("Settlement")]
    public static Task SettleLastPeriodAsync([TimerTrigger("%Settlement:Schedule%")] TimerInfo timer, SettlementRun run, CancellationToken ct) =>
        run.RunAsync(run.Previous, ct);

    [Function("RunSettlement")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(SettlementReport))]
    public static async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settlements")] HttpRequest http,
        [Body] RunRequest? request,
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

        await run.RunAsync(period, ct);
        return Results.Ok(Report(period, await store.ReadAsync(period.Id, ct), null));
    }

    [Function("GetSettlement")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(SettlementReport))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settlements/{period}")] HttpRequest http,
        string period, bool? reconcile, SettlementStore store, Reconciliation reconciliation, IOptions<SettlementOptions> options, CancellationToken ct)
    {
        if (SettlementPeriod.Parse(period, options.Value.Every) is not { } named)
        {
            return Problems.Validation("period", PeriodRule(options.Value));
        }

        var lines = await store.ReadAsync(named.Id, ct);
        return Results.Ok(Report(named, lines, reconcile == true ? await reconciliation.CheckAsync(named, lines, ct) : null));
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
