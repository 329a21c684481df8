using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Notifications.Providers;
using Atlas.Functions.Queues;
using Atlas.Functions.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>
/// GET /api/ops/overview: today and the seven days before it (UTC), from the facts committed each day
/// (<see cref="DailyFacts"/>), the Stripe events that failed and the texts that did not arrive; and, as they stand now,
/// the open disputes and the messages in poison queues. Platform admins only.
/// </summary>
public static class OverviewFunctions
{
    public const int Days = 8;

    /// <summary>How far back the lists of failed Stripe events and texts are read for the counts.</summary>
    private const int ListLimit = 1_000;

    private static readonly string[] NotDelivered = ["undelivered", "failed", "refused"];

    public sealed record Amount(string Currency, long Value);

    public sealed record OverviewDay(
        string Day,
        int Bookings,
        int Completed,
        int Cancelled,
        int NoShows,
        IReadOnlyList<Amount> Gross,
        IReadOnlyList<Amount> PlatformFees,
        int PaymentsFailed,
        int PaymentsDeclined,
        int StripeEventsFailed,
        int TextsUndelivered,
        double? DeadlineLagP95Seconds);

    public sealed record Overview(DateTimeOffset AsOf, IReadOnlyList<OverviewDay> Days, int OpenDisputes, int PoisonedMessages);

    [Function("GetOverview")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(Overview))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/overview")] HttpRequest http,
        DailyFacts facts, StripeEventLog stripeEvents, SmsLog texts, PoisonQueues poison, IQueueClient queues, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var days = Enumerable.Range(0, Days).Select(back => DailyFacts.Day(now.AddDays(back - Days + 1))).ToList();
        var failedEvents = (await stripeEvents.UnappliedAsync(StripeEventStatus.Failed, null, ListLimit, ct)).Items.ToLookup(e => e.FailedAt is { } at ? DailyFacts.Day(at) : "", StringComparer.Ordinal);
        var undelivered = (await Task.WhenAll(NotDelivered.Select(async status => (await texts.ListAsync(status, null, ListLimit, ct)).Items)))
            .SelectMany(t => t).ToLookup(t => DailyFacts.Day(t.UpdatedAt), StringComparer.Ordinal);
        var perDay = await Task.WhenAll(days.Select(async day =>
        {
            var f = await facts.ReadDayAsync(day, ct);
            return new OverviewDay(
                day,
                f["booking"].Count(),
                f["completed"].Count(),
                f["cancelled"].Count(),
                f["noShow"].Count(),
                Sums(f["captured"], c => c.Amount),
                Sums(f["captured"], c => c.Fee),
                f["failed"].Count(),
                f["declined"].Count(),
                failedEvents[day].Count(),
                undelivered[day].Count(),
                P95(f["lag"].Select(l => l.Amount / 1000.0)));
        }));
        var poisoned = await Task.WhenAll(poison.Queues.Select(async q => (await queues.PeekAsync(QueueNames.Poison(q), PoisonQueues.Shown, ct)).Count));
        return Results.Ok(new Overview(now, perDay, await facts.OpenDisputesAsync(ct), poisoned.Sum()));
    }

    private static IReadOnlyList<Amount> Sums(IEnumerable<(long Amount, long Fee, string? Currency)> rows, Func<(long Amount, long Fee, string? Currency), long> of) =>
        [.. rows.GroupBy(r => r.Currency ?? "", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Amount(g.Key, g.Sum(of)))];

    private static double? P95(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null : sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
    }
}
