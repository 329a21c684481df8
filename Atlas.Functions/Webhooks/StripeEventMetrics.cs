using System.Diagnostics;
using System.Diagnostics.Metrics;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Webhooks;

/// <summary>Stripe's events as they come: by webhook, by outcome, and those the catch-up found that no webhook brought.</summary>
public sealed class StripeEventMetrics
{
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _caughtUp;

    public StripeEventMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AtlasTelemetry.Name);
        _webhooks = meter.CreateCounter<long>("atlas.webhooks", "{event}", "Stripe webhook events by outcome: received, duplicate, applied, ignored (with its reason), failed.");
        _caughtUp = meter.CreateCounter<long>(
            "atlas.stripe.events_caught_up", "{event}", "Stripe events no webhook brought, found in Stripe's list by the catch-up timer and applied, by type.");
    }

    /// <param name="reason">Why an ignored event was left (notOurs, unknownRide, refused, notUsed); null otherwise.</param>
    public void Webhook(string outcome, string? eventType, string? reason = null)
    {
        var tags = new TagList { { "outcome", outcome }, { "type", eventType ?? "unknown" } };
        if (reason is not null)
        {
            tags.Add("reason", reason);
        }

        _webhooks.Add(1, tags);
    }

    /// <summary>A Stripe event the catch-up found that no webhook had brought.</summary>
    public void CaughtUp(string eventType) => _caughtUp.Add(1, new KeyValuePair<string, object?>("type", eventType));
}
