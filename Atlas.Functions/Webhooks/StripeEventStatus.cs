namespace Atlas.Functions.Webhooks;

/// <summary>Where a Stripe event stands, as operators see it at /api/ops/stripe-events.</summary>
public enum StripeEventStatus
{
    /// <summary>Acknowledged: on its way, or applied (an applied event is not written again).</summary>
    Received,

    /// <summary>Could not be applied: malformed, naming what Stripe does not have, or failing until given up on.</summary>
    Failed,

    /// <summary>Read and deliberately left: see its <see cref="StripeEventIgnoredReason"/>.</summary>
    Ignored,

    /// <summary>Failed, then an operator asked for it to be applied again; on its way.</summary>
    Replayed,

    /// <summary>Applied after it had failed at least once (a retry or a replay).</summary>
    Applied,
}

/// <summary>How Atlas got a Stripe event.</summary>
public enum StripeEventSource
{
    /// <summary>Stripe posted it to the webhook endpoint.</summary>
    Webhook,

    /// <summary>The catch-up timer found it in Stripe's list of events: it was never delivered (or not yet).</summary>
    CatchUp,
}

/// <summary>Why Atlas left a Stripe event it could read.</summary>
public enum StripeEventIgnoredReason
{
    /// <summary>Not Atlas's: an intent that names no ride, or a ride id not shaped like Atlas's (another system's payment
    /// on the same Stripe account), or a dispute on such an intent.</summary>
    NotOurs,

    /// <summary>Names a ride in Atlas's shape that has no payment in Atlas.</summary>
    UnknownRide,

    /// <summary>The ride's payment refused what the event says (its rejection is in the detail).</summary>
    Refused,

    /// <summary>A type, or a dispute outcome, Atlas does not act on (the webhook endpoint need not send it).</summary>
    NotUsed,
}

/// <summary>A Stripe event Atlas read and left: why, and what about it.</summary>
public sealed record StripeEventIgnored(StripeEventIgnoredReason Reason, string Detail);
