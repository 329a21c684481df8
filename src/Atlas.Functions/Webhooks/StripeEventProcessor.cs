using System.Text.Json;
using Atlas.Core.Common;
using Atlas.Core.Payments;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Applies one Stripe event to the escrow it concerns. Intent events carry the ride in their metadata; disputes name
/// the intent, which is read back for it. The escrow only moves forward: an event older than what it knows is
/// refused as stale, and then the intent is read fresh from Stripe and applied instead. Events about what Atlas did
/// itself (refunds, transfers) and types Atlas does not use are acknowledged and left.
/// </summary>
public sealed class StripeEventProcessor(Lifecycle<Escrow, EscrowCommand> escrows, IStripeClient stripe, TimeProvider clock, ILogger<StripeEventProcessor> logger)
{
    public async Task ProcessAsync(JsonElement e, CancellationToken ct)
    {
        var type = e.GetProperty("type").GetString()!;
        var created = DateTimeOffset.FromUnixTimeSeconds(e.GetProperty("created").GetInt64());
        var obj = e.GetProperty("data").GetProperty("object");
        switch (type)
        {
            case "payment_intent.amount_capturable_updated" or "payment_intent.succeeded" or "payment_intent.payment_failed" or "payment_intent.canceled":
                await ApplyIntentAsync(StripeIntent.Read(obj), created, ct);
                break;
            case "charge.dispute.created":
                await ApplyDisputeAsync(obj, d => new DisputeOpened(d.GetProperty("id").GetString()!, d.GetProperty("amount").GetInt64()), ct);
                break;
            case "charge.dispute.closed":
                await ApplyDisputeAsync(obj, d => d.GetProperty("status").GetString() switch
                {
                    "won" or "warning_closed" => new DisputeClosed(d.GetProperty("id").GetString()!, Won: true),
                    "lost" => new DisputeClosed(d.GetProperty("id").GetString()!, Won: false),
                    _ => null,
                }, ct);
                break;
            default:
                logger.LogDebug("Stripe event {Type} acknowledged; nothing to do", type);
                break;
        }
    }

    private async Task ApplyIntentAsync(StripeIntent intent, DateTimeOffset observedAt, CancellationToken ct)
    {
        if (!intent.Metadata.TryGetValue("ride_id", out var rideId) || intent.Metadata.ContainsKey("tip_id"))
        {
            return;
        }

        // Most events confirm what Stripe's own answer already told the escrow. The state this process last wrote is
        // enough to tell (the escrow only moves forward): nothing to read, nothing to decide.
        var (known, _) = await escrows.GetAsync(rideId, ct, cachedIsEnough: true);
        if (EscrowDecider.IsPastAuthorisation(known, intent.Status))
        {
            return;
        }

        // An authorisation's deadline is on its charge, which events do not expand: read it.
        if (intent is { Status: "requires_capture", CaptureBefore: null })
        {
            intent = await FreshAsync(intent.Id, ct) ?? intent;
        }

        var result = await escrows.ExecuteAsync(rideId, new IntentObserved(intent.ToSnapshot(), observedAt), ct);
        if (result.Rejection == EscrowDecider.StaleEvent && await FreshAsync(intent.Id, ct) is { } fresh)
        {
            result = await escrows.ExecuteAsync(rideId, new IntentObserved(fresh.ToSnapshot(), clock.GetUtcNow()), ct);
        }

        Check(result.Status, result.Rejection, rideId);
    }

    private async Task ApplyDisputeAsync(JsonElement dispute, Func<JsonElement, EscrowCommand?> command, CancellationToken ct)
    {
        if (command(dispute) is not { } cmd || StripeIntent.Text(dispute, "payment_intent") is not { } intentId)
        {
            return;
        }

        if (await FreshAsync(intentId, ct) is not { } intent || !intent.Metadata.TryGetValue("ride_id", out var rideId) || intent.Metadata.ContainsKey("tip_id"))
        {
            logger.LogWarning("Dispute {DisputeId} is on intent {IntentId}, which is not a ride's", StripeIntent.Text(dispute, "id"), intentId);
            return;
        }

        var result = await escrows.ExecuteAsync(rideId, cmd, ct);
        Check(result.Status, result.Rejection, rideId);
    }

    private async Task<StripeIntent?> FreshAsync(string intentId, CancellationToken ct) => (await stripe.GetIntentAsync(intentId, ct)).Value;

    private void Check(CommandStatus status, Rejection? rejection, string rideId)
    {
        if (status == CommandStatus.Contended)
        {
            throw new InvalidOperationException($"Applying a Stripe event to the escrow of {rideId} lost every race; retrying.");
        }

        if (rejection is not null)
        {
            logger.LogInformation("Stripe event for ride {RideId} not applied: {Code}", rideId, rejection.Code);
        }
    }
}
