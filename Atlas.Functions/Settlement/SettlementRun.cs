using Atlas.Core.Integration;
using Atlas.Core.Ledger;
using Atlas.Core.Settlement;
using Atlas.Functions.Companies;
using Atlas.Functions.Integration;
using Atlas.Functions.Ledger;
using Atlas.Functions.Stripe;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Settlement;

/// <summary>
/// Pays drivers for a period, a few at a time (the activities of <see cref="SettlementFlow"/>): for each driver, the
/// payable balance (frozen amounts sit on another account) goes to their connected account in one transfer per
/// currency. Idempotent per driver per period: the line is written before the transfer, the transfer's key is the
/// line's, and a driver with a line is never paid again that period (a pending line is finished with its own
/// amount). A Stripe outage leaves lines pending for a rerun; a refusal marks the line failed, and the payable
/// waits for the next period.
/// </summary>
public sealed class SettlementRun(
    LedgerStore ledger,
    SettlementStore store,
    CompanyStore companies,
    IStripeApi stripe,
    IntegrationPublishing events,
    SettlementMetrics metrics,
    TimeProvider clock,
    IOptions<SettlementOptions> options,
    ILogger<SettlementRun> logger)
{
    public SettlementPeriod Current => SettlementPeriod.Containing(clock.GetUtcNow(), options.Value.Every);

    /// <summary>The last period that has ended: what the timer settles.</summary>
    public SettlementPeriod Previous => SettlementPeriod.Containing(clock.GetUtcNow() - options.Value.Every, options.Value.Every);

    public SettlementPeriod Period(string id) =>
        SettlementPeriod.Parse(id, options.Value.Every) ?? throw new ArgumentException($"'{id}' is not a settlement period.", nameof(id));

    /// <summary>Settles these drivers one after another (the flow runs several such batches at once).</summary>
    public async Task SettleAsync(SettlementPeriod period, IEnumerable<LedgerStore.LedgerDriver> drivers, CancellationToken ct)
    {
        foreach (var driver in drivers)
        {
            await SettleAsync(period, driver, ct);
        }
    }

    private async Task SettleAsync(SettlementPeriod period, LedgerStore.LedgerDriver driver, CancellationToken ct)
    {
        var balances = Balances.Of(await ledger.ReadDriverAsync(driver.DriverId, ct));
        // A driver whose account was erased has no row any more: their ledger kept the account they are paid into.
        var account = await companies.FindDriverAsync(driver.CompanyId, driver.DriverId, ct) is { } row
            ? row.PayoutAccountId
            : await ledger.KeptPayoutAccountAsync(driver.DriverId, ct);
        foreach (var currency in balances.Currencies)
        {
            if (PayoutPlan.For(driver.DriverId, currency, balances, account is not null) is not { } plan)
            {
                continue;
            }

            var line = new SettlementLine(plan.DriverId, currency, plan.Amount, plan.Held, plan.Status, null, null, clock.GetUtcNow());
            var (started, inserted) = await store.StartAsync(period.Id, line, ct);
            if (started.Status == PayoutStatus.Pending)
            {
                await PayAsync(period, started, account!, driver.CompanyId, ct);
            }
            else if (inserted)
            {
                metrics.PayoutLine(started.Status, started.Amount, started.Currency);
            }
            else if (!inserted)
            {
                logger.LogDebug("Driver {DriverId} was settled for {Period} already: {Status}", driver.DriverId, period.Id, started.Status);
            }
        }
    }

    private async Task PayAsync(SettlementPeriod period, SettlementLine line, string account, string companyId, CancellationToken ct)
    {
        var key = $"payout-{period.Id}-{line.DriverId}-{line.Currency}";
        var request = new TransferRequest(
            line.Amount,
            line.Currency,
            account,
            $"settlement-{period.Id}",
            new Dictionary<string, string> { ["driver_id"] = line.DriverId, ["period"] = period.Id });
        StripeResult<global::Stripe.Transfer> result;
        try
        {
            result = await stripe.TransferAsync(request, key, ct);
        }
        catch (StripeUnavailableException e)
        {
            logger.LogWarning(e, "Paying driver {DriverId} for {Period} is left pending: Stripe did not answer", line.DriverId, period.Id);
            return;
        }

        var now = clock.GetUtcNow();
        if (result.Value is not { } transfer)
        {
            await store.SaveAsync(period.Id, line with { Status = PayoutStatus.Failed, Error = result.Error!.Code ?? result.Error.Type, UpdatedAt = now }, ct);
            metrics.PayoutLine(PayoutStatus.Failed, line.Amount, line.Currency);
            return;
        }

        await ledger.AppendAsync(Entries.Payout($"payout:{period.Id}:{line.Currency}", line.Currency, line.DriverId, now, line.Amount, transfer.Id), null, ct);

        // Before the line is marked paid: a rerun that finishes a pending line publishes again, under the same id.
        await events.PublishAsync(new IntegrationMessage(
            key, new BusinessEvent(BusinessEvents.PayoutPaid, now, companyId, DriverId: line.DriverId, Amount: line.Amount, Currency: line.Currency)));
        await store.SaveAsync(period.Id, line with { Status = PayoutStatus.Paid, TransferId = transfer.Id, UpdatedAt = now }, ct);
        metrics.PayoutLine(PayoutStatus.Paid, line.Amount, line.Currency);
    }
}
