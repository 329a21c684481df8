using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Ops;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Webhooks;

/// <summary>POST /api/ops/stripe-events/{id}/replay: a Stripe event Atlas failed to apply, tried again as Stripe has it
/// now (fetched by id). Once per failure: a second replay, or one of an event that did not fail, is a 409 and queues
/// nothing. Platform admins only; audited.</summary>
public static class StripeEventReplayFunctions
{
    public sealed record Replayed(string Id, string Status);

    [Function("ReplayStripeEvent")]
    [Roles(Role.PlatformAdmin)]
    [Audited("stripe-event.replay")]
    [Responds(StatusCodes.Status202Accepted, typeof(Replayed))]
    [Responds(StatusCodes.Status400BadRequest)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> ReplayAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/stripe-events/{id}/replay")] HttpRequest http,
        string id, StripeEventLog log, StripeEventQueue queue, TimeProvider clock, CancellationToken ct)
    {
        if (!StripeWebhookFunctions.IsEventId(id))
        {
            return Problems.Validation("id", "A Stripe event id is evt_ and up to 250 letters, digits or '_'.");
        }

        switch (await log.MarkReplayedAsync(id, clock.GetUtcNow(), ct))
        {
            case null:
                return Problems.NotFound($"Stripe event '{id}'");
            case false:
                return Problems.Rejected(new Atlas.Core.Common.Rejection("not-failed", "Only a failed event can be replayed; this one is applied, replayed already, or never failed."));
        }

        await queue.ReplayAsync(id, ct);
        return Results.Accepted($"/api/ops/stripe-events/{id}", new Replayed(id, "replayed"));
    }
}
