using System.Text.Json;
using Atlas.Functions.Stripe;
using Atlas.Functions.Telemetry;
using Microsoft.Extensions.Options;
using Stripe;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Applies the events of one queue message, each on its own: an event read and left (not Atlas's, naming no payment,
/// refused, of a type Atlas does not act on) is recorded as ignored with why, and one that can never apply as failed
/// (the operators' list has both, with their reasons); one that fails for a reason that may pass (Stripe or storage out of
/// reach, a lost race) goes back on the queue alone, after a delay that doubles each time, for hours; one that keeps
/// failing ends in the poison queue, recorded as failed. The other events of the message are applied either way.
/// </summary>
public sealed class StripeEventApplier(
    StripeEventProcessor processor,
    StripeEventQueue queue,
    StripeEventLog log,
    IStripeApi stripe,
    IOptions<StripeOptions> options,
    StripeEventMetrics metrics,
    AtlasMetrics runtimeMetrics,
    TimeProvider clock,
    ILogger<StripeEventApplier> logger)
{
    public async Task ApplyAsync(string message, CancellationToken ct)
    {
        var (attempt, items) = StripeEventQueue.Read(message);
        foreach (var item in items)
        {
            Event? e = null;
            try
            {
                e = await ReadAsync(item, ct);
                if (await processor.ProcessAsync(e, ct) is { } ignored)
                {
                    logger.LogInformation("Stripe event {EventId} ({Type}) ignored, {Reason}: {Detail}", e.Id, e.Type, ignored.Reason, ignored.Detail);
                    await log.RecordIgnoredAsync(e.Id, e.Type, ignored, clock.GetUtcNow(), ct);
                    metrics.Webhook("ignored", e.Type, JsonNamingPolicy.CamelCase.ConvertName(ignored.Reason.ToString()));
                }
                else
                {
                    metrics.Webhook("applied", e.Type);
                    if (attempt > 0)
                    {
                        // It failed before (a retry, a replay from the poison queue or by id): the operators' list lets go of it.
                        await log.RecordAppliedAsync(e.Id, clock.GetUtcNow(), ct);
                    }
                }
            }
            catch (StripeEventRejected rejected)
            {
                var id = e?.Id ?? item.Id ?? IdIn(item.Json);
                logger.LogError("Stripe event {EventId} cannot be applied and is recorded as failed: {Reason}", id, rejected.Message);
                if (id is not null)
                {
                    await log.RecordFailureAsync(id, e?.Type, rejected.Message, attempt + 1, clock.GetUtcNow(), ct);
                }

                metrics.Webhook("failed", e?.Type);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                await RetryOrGiveUpAsync(item, e, attempt + 1, failure, ct);
            }
        }
    }

    private async Task RetryOrGiveUpAsync(StripeEventItem item, Event? e, int failures, Exception failure, CancellationToken ct)
    {
        var settings = options.Value;
        var id = e?.Id ?? item.Id ?? IdIn(item.Json) ?? "(no id)";
        if (failures < settings.EventMaxAttempts)
        {
            var delay = settings.EventRetryDelayAfter(failures);
            logger.LogWarning(failure, "Stripe event {EventId} failed (attempt {Attempt} of {Max}); trying it again in {Delay}", id, failures, settings.EventMaxAttempts, delay);
            await queue.RetryAsync(item, failures, delay, ct);
            return;
        }

        logger.LogError(failure, "Stripe event {EventId} failed {Attempts} times and moved to {PoisonQueue}", id, failures, StripeEventQueue.PoisonQueue);
        await queue.PoisonAsync(item, failures, ct);
        await log.RecordFailureAsync(id, e?.Type, $"Failed {failures} times; last: {failure.Message}", failures, clock.GetUtcNow(), ct);
        metrics.Webhook("failed", e?.Type);
        runtimeMetrics.Poisoned(StripeWebhookFunctions.ApplyFunction);
    }

    /// <summary>The event, parsed by Stripe.net (whatever its API version), or fetched from Stripe by id.</summary>
    private async Task<Event> ReadAsync(StripeEventItem item, CancellationToken ct)
    {
        if (item.Json is { } json)
        {
            try
            {
                return EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StripeEventRejected($"Not a Stripe event Stripe.net can read: {e.Message}");
            }
        }

        var fetched = await stripe.GetEventAsync(item.Id!, ct);
        return fetched.Value ?? throw (fetched.Error!.Status == 404
            ? new StripeEventRejected($"Stripe does not return event {item.Id}: {fetched.Error}")
            : new InvalidOperationException($"Fetching Stripe event {item.Id} was refused: {fetched.Error}"));
    }

    private static string? IdIn(string? json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json ?? "");
            return document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String ? id.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
