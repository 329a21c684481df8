using System.Text;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Stripe;
using Microsoft.Extensions.Options;
using Stripe;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Stripe's webhook endpoint: verify the signature over the raw body (400 before anything is parsed), read it as a
/// Stripe event, record it by id (a delivery seen before is acknowledged and dropped), queue it, answer 200. The queue
/// function applies each event on its own (<see cref="StripeEventApplier"/>). Events arriving together share a
/// message (<see cref="StripeEventQueue"/>). Operators see the events not applied, failed or ignored, at
/// /api/ops/stripe-events.
/// </summary>
public static class StripeWebhookFunctions
{
    public const string Queue = StripeEventQueue.Queue;

    /// <summary>An event recorded this long ago and still not processed was lost before it was queued: queue it again.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);

    public const string ApplyFunction = "StripeEvents";

    public sealed record Acknowledged(string Id, bool Duplicate);

    /// <summary>Applies a message's events, each on its own (<see cref="StripeEventApplier"/>).</summary>
    [Function(ApplyFunction)]
    public static Task ApplyAsync(
        [QueueTrigger(Lifecycles.LifecycleFunctions.Prefix + StripeEventQueue.Queue)] string message, StripeEventApplier events, CancellationToken ct) =>
        events.ApplyAsync(message, ct);

    /// <summary>A page of the events not applied, by id; <c>next</c> is the cursor of the following page; <c>catchUp</c>
    /// what the catch-up timer found that no webhook brought.</summary>
    public sealed record UnappliedEvents(IReadOnlyList<StripeEventRecord> Items, string? Next, StripeCatchUpStatus CatchUp);

    [Function("StripeWebhook")]
    [Anyone]
    [RawBody("application/json", "A Stripe event, as Stripe posts it; signed over the raw bytes.")]
    [RequestHeader("Stripe-Signature", "Stripe's signature of the body with the endpoint's secret.", Required = true)]
    [Responds(StatusCodes.Status200OK, typeof(Acknowledged))]
    public static async Task<IResult> ReceiveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/stripe")] HttpRequest request, StripeEventLog log, StripeEventQueue queue, IOptions<StripeOptions> options, StripeEventMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        var stripe = options.Value;
        var now = clock.GetUtcNow();
        if (!StripeSignature.IsValid(request.Headers["Stripe-Signature"].ToString(), body, stripe.WebhookSecrets, now, stripe.WebhookTolerance))
        {
            return Problems.Validation("Stripe-Signature", "The Stripe-Signature header does not sign this body with an endpoint secret within the tolerance.");
        }

        var json = Encoding.UTF8.GetString(body);
        if (Read(json) is not { } e)
        {
            return Problems.Validation("body", "The body is not a Stripe event (an object with an evt_ id, a type, created and data.object).");
        }

        var receipt = await log.ReceiveAsync(e.Id, e.Type, now, StalledAfter, ct);
        metrics.Webhook(receipt == StripeEventLog.Receipt.Duplicate ? "duplicate" : "received", e.Type);
        if (receipt != StripeEventLog.Receipt.Duplicate)
        {
            await queue.EnqueueAsync(e.Id, json);
        }

        return Results.Ok(new Acknowledged(e.Id, receipt == StripeEventLog.Receipt.Duplicate));
    }

    /// <summary>The events Atlas did not apply, failed and ignored, with why and how each came (webhook or catch-up);
    /// <c>status=failed</c> or <c>status=ignored</c> lists those only; and how many events the catch-up brought.</summary>
    [Function("ListUnappliedStripeEvents")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(UnappliedEvents))]
    public static async Task<IResult> ListUnappliedAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/stripe-events")] HttpRequest http,
        string? status, string? after, int? limit, StripeEventLog log, StripeCatchUpState catchUp, CancellationToken ct)
    {
        if (status is not (null or "failed" or "ignored"))
        {
            return Problems.Validation("status", "status is failed or ignored (leave it out for both).");
        }

        if (after is not null && !IsEventId(after))
        {
            return Problems.Validation("after", "after is the 'next' cursor of the previous page.");
        }

        if (limit is < 1 or > Paging.MaxLimit)
        {
            return Problems.Validation("limit", $"limit is from 1 to {Paging.MaxLimit}.");
        }

        StripeEventStatus? only = status switch
        {
            "failed" => StripeEventStatus.Failed,
            "ignored" => StripeEventStatus.Ignored,
            _ => null,
        };
        var (items, next) = await log.UnappliedAsync(only, after, limit ?? Paging.DefaultLimit, ct);
        return Results.Ok(new UnappliedEvents(items, next, (await catchUp.ReadAsync(ct)).Status));
    }

    [Function("GetStripeEvent")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(StripeEventRecord))]
    [Responds(StatusCodes.Status400BadRequest)]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/stripe-events/{id}")] HttpRequest http,
        string id, StripeEventLog log, CancellationToken ct) =>
        !IsEventId(id) ? Problems.Validation("id", "A Stripe event id is evt_ and up to 250 letters, digits or '_'.")
        : await log.FindAsync(id, ct) is { } record ? Results.Ok(record)
        : Problems.NotFound($"Stripe event '{id}'");

    private static Event? Read(string json)
    {
        try
        {
            var e = EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false);
            return IsEventId(e.Id) && e.Type is { Length: > 0 and <= 100 } && e.Created != default && e.Data?.RawObject is not null ? e : null;
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            // Whatever Stripe.net makes of a body that is not an event, it is the sender's mistake.
            return null;
        }
    }

    public static bool IsEventId(string? id) =>
        id is { Length: > 4 and <= 255 } && id.StartsWith("evt_", StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
