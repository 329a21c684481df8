using Atlas.Core.Auth;
using Atlas.Core.Ledger;
using Atlas.Core.Settlement;
using Atlas.Functions.Auth;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Ledger;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Settlement;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.OpsConsole;

/// <summary>
/// GET /api/companies/{companyId}/earnings?period=: each driver's earnings and payouts in a settlement period, from the
/// ledger (what their payable account was credited by rides and tips, what payouts took off it, what is owed at the
/// period's end) and the period's payout line. Company admins and dispatchers of that company.
/// </summary>
public static class EarningsFunctions
{
    private const int MaxDrivers = 100;

    public sealed record DriverEarnings(string DriverId, string? Name, string Currency, int Rides, long Earned, long PaidOut, long OwedAtEnd, string? PayoutStatus);

    public sealed record Earnings(string Period, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<DriverEarnings> Drivers);

    [Function("GetCompanyEarnings")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(Earnings))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/earnings")] HttpRequest http,
        string companyId,
        string? period,
        Caller caller,
        CompanyStore companies,
        LedgerStore ledger,
        SettlementStore settlements,
        SettlementRun run,
        IOptions<SettlementOptions> options,
        CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(companyId) || !await companies.IsCurrentMemberAsync(caller, companyId, ct))
        {
            return Problems.NotFound($"Company '{companyId}'");
        }

        var named = run.Current;
        if (period is not null)
        {
            if (SettlementPeriod.Parse(period, options.Value.Every) is not { } parsed)
            {
                return Problems.Validation("period", options.Value.Every >= TimeSpan.FromDays(1)
                    ? "period is a day, as yyyy-MM-dd."
                    : $"period is the start of a {options.Value.Every.TotalMinutes}-minute period, as yyyy-MM-ddTHH:mm (UTC).");
            }

            named = parsed;
        }

        var drivers = await companies.ListDriversAsync(companyId, null, MaxDrivers, ct);
        var lines = (await settlements.ReadAsync(named.Id, ct)).ToLookup(l => (l.DriverId, l.Currency));
        var rows = await Task.WhenAll(drivers.Items.Select(async driver =>
        {
            var transactions = await ledger.ReadDriverAsync(driver.Id, ct);
            var payable = LedgerAccounts.DriverPayable(driver.Id);
            return transactions.GroupBy(t => t.Currency, StringComparer.Ordinal).Select(currency =>
            {
                long On(LedgerTransaction t) => t.Postings.Where(p => p.Account == payable).Sum(p => p.Amount);
                var inPeriod = currency.Where(t => t.At >= named.Start && t.At < named.End).ToList();
                var payouts = inPeriod.Where(t => t.Kind is "payout" or "reversal").ToList();
                var earned = inPeriod.Except(payouts).ToList();
                return new DriverEarnings(
                    driver.Id,
                    driver.Name,
                    currency.Key,
                    earned.Where(t => t.Kind == "capture").Select(t => t.RideId).Distinct(StringComparer.Ordinal).Count(),
                    -earned.Sum(On),
                    payouts.Sum(On),
                    -currency.Where(t => t.At < named.End).Sum(On),
                    lines[(driver.Id, currency.Key)].FirstOrDefault()?.Status.ToString());
            });
        }));
        return Results.Ok(new Earnings(named.Id, named.Start, named.End, [.. rows.SelectMany(r => r).OrderBy(r => r.Name ?? r.DriverId, StringComparer.Ordinal)]));
    }
}
