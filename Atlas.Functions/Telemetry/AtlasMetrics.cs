using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Atlas.Core.Auth;
using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Core.Settlement;

namespace Atlas.Functions.Telemetry;

/// <summary>
/// The marketplace's business metrics. Lifecycle ones are counted from committed state changes (<see cref="Changed"/>),
/// so a retried command or a redelivered effect never counts twice. Tags are outcomes and names, never an id, a phone,
/// a code or an amount's owner.
/// </summary>
public sealed class AtlasMetrics
{
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _smsBlocked;
    private readonly Counter<long> _bookings;
    private readonly Counter<long> _bids;
    private readonly Counter<long> _rides;
    private readonly Counter<long> _escrow;
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _caughtUp;
    private readonly Counter<long> _payoutLines;
    private readonly Counter<long> _paidOut;
    private readonly Counter<long> _mismatches;
    private readonly Counter<long> _smsDelivery;
    private readonly Gauge<long> _flowsFailed;
    private readonly Gauge<long> _flowsStuck;
    private readonly Counter<long> _poisoned;
    private readonly Histogram<double> _deadlineLag;

    public AtlasMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AtlasTelemetry.Name);
        _signIns = meter.CreateCounter<long>("atlas.sign_ins", "{sign-in}", "Sign-ins by outcome: started, verified, failed (a wrong, expired or burned code).");
        _smsBlocked = meter.CreateCounter<long>(
            "atlas.signin.sms_blocked", "{text}", "Sign-in texts not sent, by reason (country, conversion, budget, total_budget) and calling code.");
        _bookings = meter.CreateCounter<long>("atlas.bookings.created", "{booking}", "Bookings opened.");
        _bids = meter.CreateCounter<long>("atlas.bids", "{bid}", "Bids placed (a changed bid counts again).");
        _rides = meter.CreateCounter<long>("atlas.rides.ended", "{ride}", "Rides ended, by outcome: completed, cancelled, noshow.");
        _escrow = meter.CreateCounter<long>("atlas.escrow", "{payment}", "Escrow payments reaching a state: authorised, captured, released, declined.");
        _webhooks = meter.CreateCounter<long>("atlas.webhooks", "{event}", "Stripe webhook events by outcome: received, duplicate, applied, ignored (with its reason), failed.");
        _caughtUp = meter.CreateCounter<long>(
            "atlas.stripe.events_caught_up", "{event}", "Stripe events no webhook brought, found in Stripe's list by the catch-up timer and applied, by type.");
        _payoutLines = meter.CreateCounter<long>("atlas.settlement.lines", "{line}", "Settlement payout lines by status: paid, failed, noAccount.");
        _paidOut = meter.CreateCounter<long>("atlas.settlement.paid", "{minor unit}", "Money paid out to drivers, in minor units, by currency.");
        _mismatches = meter.CreateCounter<long>(
            "atlas.settlement.mismatches", "{line}", "Settlement lines a run's reconciliation found at odds with the ledger or Stripe, by currency.");
        _smsDelivery = meter.CreateCounter<long>(
            "atlas.sms.delivery", "{text}", "Texts reaching a final status in Twilio's callbacks: delivered, undelivered, failed.");
        _flowsFailed = meter.CreateGauge<long>(
            "atlas.flows.failed", "{orchestration}", "Orchestrations that ended Failed in the last hour, by orchestrator, as the flow watch last counted.");
        _flowsStuck = meter.CreateGauge<long>(
            "atlas.flows.stuck", "{orchestration}", "Orchestrations running or pending past Flows:StuckAfter without getting anywhere, by orchestrator.");
        _poisoned = meter.CreateCounter<long>("atlas.poisoned", "{message}", "Messages given up on and moved to a poison queue, by the function that gave up.");
        _deadlineLag = meter.CreateHistogram<double>("atlas.deadline.lag", "s", "How late a deadline's timeout reached its lifecycle.");
    }

    /// <summary>A lifecycle committed <paramref name="after"/> over <paramref name="before"/> on <paramref name="command"/>.</summary>
    public void Changed(object before, object after, object command)
    {
        switch (before, after, command)
        {
            case (NoChallenge, PendingChallenge, _):
                SignIn("started");
                break;
            case (_, VerifiedChallenge, _):
                SignIn("verified");
                break;
            case (PendingChallenge, _, VerifyCode):
                SignIn("failed");
                break;
            case (Booking { Status: BookingStatus.None }, Booking, OpenBooking):
                _bookings.Add(1);
                break;
            case (Booking, Booking, PlaceBid):
                _bids.Add(1);
                break;
            case (Ride was, Ride { Status: RideStatus.Completed or RideStatus.Cancelled or RideStatus.NoShow } now, _) when was.Status != now.Status:
                _rides.Add(1, new KeyValuePair<string, object?>("outcome", now.Status.ToString().ToLowerInvariant()));
                break;
            case (Escrow was, Escrow { Status: EscrowStatus.Authorised or EscrowStatus.Captured or EscrowStatus.Released or EscrowStatus.Declined } now, _) when was.Status != now.Status:
                _escrow.Add(1, new KeyValuePair<string, object?>("outcome", now.Status.ToString().ToLowerInvariant()));
                break;
        }
    }

    /// <summary>A sign-in text the SMS guard held back. The calling code is a country's (or a listed prefix), never more of the number.</summary>
    public void SmsBlocked(string reason, string callingCode) =>
        _smsBlocked.Add(1, new("reason", reason), new("calling_code", callingCode));

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

    public void PayoutLine(PayoutStatus status, long amount, string currency)
    {
        _payoutLines.Add(1, new KeyValuePair<string, object?>("status", JsonNamingPolicy.CamelCase.ConvertName(status.ToString())));
        if (status == PayoutStatus.Paid)
        {
            _paidOut.Add(amount, new KeyValuePair<string, object?>("currency", currency));
        }
    }

    /// <summary>Lines a settlement run's reconciliation found at odds (one per line and problem).</summary>
    public void SettlementMismatch(string currency) =>
        _mismatches.Add(1, new KeyValuePair<string, object?>("currency", currency));

    /// <summary>A text's final status, counted once: when the log first moved to it.</summary>
    public void SmsDelivery(string status) => _smsDelivery.Add(1, new KeyValuePair<string, object?>("status", status));

    /// <summary>What the flow watch counted for one orchestrator (zero included, so a cleared count reads as cleared).</summary>
    public void Flows(string orchestrator, long failed, long stuck)
    {
        var flow = new KeyValuePair<string, object?>("flow", orchestrator);
        _flowsFailed.Record(failed, flow);
        _flowsStuck.Record(stuck, flow);
    }

    public void Poisoned(string function) => _poisoned.Add(1, new KeyValuePair<string, object?>("function", function));

    public void DeadlineLag(string lifecycle, TimeSpan lag) =>
        _deadlineLag.Record(lag.TotalSeconds, new KeyValuePair<string, object?>("lifecycle", lifecycle));

    private void SignIn(string outcome) => _signIns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
