using System.Text.Json;
using Atlas.Functions.Stripe;
using Microsoft.Extensions.Options;
using Stripe;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Stripe retries a webhook for about three days; an endpoint down longer, a secret rotated wrongly or a lost delivery
/// would lose an event for good. On a timer, this lists Stripe's events (of the types Atlas acts on) created since the
/// newest one it has seen, less an overlap (<see cref="StripeOptions.CatchUpOverlap"/>: the list is by creation time and
/// an event can show up a little after a later one), page by page with <c>starting_after</c>, and queues those never
/// received, as the webhook does: the same queue and applier, deduplicated by event id in <see cref="StripeEventLog"/>,
/// so a late delivery is a no-op. Stripe lists 30 days of events; what is older is out of reach. No flow is around the
/// timer, so the list call is retried by the Stripe client's declared pipeline (<see cref="IRetriedStripeApi"/>); a run
/// that fails still is the next run's to do, from the same cursor.
/// </summary>
public sealed class StripeCatchUp(
    IRetriedStripeApi stripe,
    StripeEventLog log,
    StripeEventQueue queue,
    StripeCatchUpState state,
    IOptions<StripeOptions> options,
    StripeEventMetrics metrics,
    TimeProvider clock,
    ILogger<StripeCatchUp> logger)
{
    /// <summary>How long Stripe lists an event.</summary>
    public static readonly TimeSpan StripeKeeps = TimeSpan.FromDays(30);

    private const int PageSize = 100;

    /// <summary>Where a run lists from: the newest event seen less the overlap, or the first look-back; never before
    /// what Stripe still lists.</summary>
    public static DateTimeOffset From(DateTimeOffset? newestSeen, DateTimeOffset now, StripeOptions options)
    {
        var from = newestSeen is { } seen ? seen - options.CatchUpOverlap : now - options.CatchUpFirstLookBack;
        return from < now - StripeKeeps ? now - StripeKeeps : from;
    }

    public async Task<StripeCatchUpStatus> RunAsync(CancellationToken ct)
    {
        var (before, etag) = await state.ReadAsync(ct);
        var now = clock.GetUtcNow();
        var from = From(before.NewestSeen, now, options.Value);
        if (before.NewestSeen - options.Value.CatchUpOverlap < from)
        {
            logger.LogError(
                "Stripe events created between {Seen:O} and {From:O} are out of reach: Stripe lists 30 days of events, and none was read since",
                before.NewestSeen - options.Value.CatchUpOverlap, from);
        }

        var (newest, newestId) = (before.NewestSeen, before.NewestSeenId);
        var (listed, caughtUp) = (0, 0);
        string? after = null;
        while (true)
        {
            var read = await stripe.ListEventsAsync(from, StripeEventProcessor.ActsOn, after, PageSize, ct);
            var page = read.Value ?? throw new InvalidOperationException($"Listing Stripe's events was refused: {read.Error}");
            var queued = await Task.WhenAll(page.Data.Select((e, i) => CatchUpAsync(e, RawJson(page, i, e), now, ct)));
            listed += page.Data.Count;
            caughtUp += queued.Count(q => q);
            if (after is null && page.Data.Count > 0 && (newest is null || Created(page.Data[0]) >= newest))
            {
                // Newest first: the first of the first page is the newest event there is.
                (newest, newestId) = (Created(page.Data[0]), page.Data[0].Id);
            }

            if (!page.HasMore || page.Data.Count == 0)
            {
                break;
            }

            after = page.Data[^1].Id;
        }

        var status = new StripeCatchUpStatus(newest, newestId, clock.GetUtcNow(), from, listed, caughtUp, before.CaughtUp + caughtUp);
        if (!await state.WriteAsync(status, etag, ct))
        {
            logger.LogWarning("Another Stripe catch-up run recorded its progress first; this run's is dropped (its events are queued)");
        }

        logger.LogInformation("Stripe catch-up from {From:O}: {Listed} events listed, {CaughtUp} never received and queued", from, listed, caughtUp);
        return status;
    }

    private async Task<bool> CatchUpAsync(Event e, string json, DateTimeOffset now, CancellationToken ct)
    {
        if (!await log.CatchUpAsync(e.Id, e.Type, now, ct))
        {
            return false;
        }

        logger.LogWarning("Stripe event {EventId} ({Type}), created {Created:O}, never came by webhook: caught up", e.Id, e.Type, Created(e));
        await queue.EnqueueAsync(e.Id, json);
        await log.MarkQueuedAsync(e.Id, ct);
        metrics.CaughtUp(e.Type);
        return true;
    }

    /// <summary>The event as Stripe sent it (what the webhook would have carried), from the page's raw JSON.</summary>
    private static string RawJson(StripeList<Event> page, int index, Event e) =>
        page.RawJsonElement is { ValueKind: JsonValueKind.Object } list && list.TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > index && data[index] is var raw
            && raw.TryGetProperty("id", out var id) && id.ValueEquals(e.Id)
            ? raw.GetRawText()
            : e.ToJson();

    private static DateTimeOffset Created(Event e) => new(DateTime.SpecifyKind(e.Created, DateTimeKind.Utc));
}
