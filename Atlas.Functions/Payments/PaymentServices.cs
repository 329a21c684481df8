using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Functions.Hosting;
using Atlas.Functions.Ledger;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Atlas.Functions.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Payments;

/// <summary>Money: cards, the escrow of each ride and its Stripe calls; the client of Stripe's API the ledger, Stripe's
/// webhooks and settlement share.</summary>
public static class PaymentServices
{
    /// <summary>The ledger's postings have a queue of their own: a busy ledger does not hold up notifications. Effects
    /// that call Stripe are steps of the booking's journey (<see cref="FlowFact.StepQueue"/>), made by its orchestration.</summary>
    public const string Queue = "payments";

    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        // Checked on start: a missing key or a wrong fee stops the app with the setting to fix, not the first ride.
        var payments = services.AddCheckedOptions<PaymentOptions>(configuration, PaymentOptions.Section, o => o.Problems());
        services.AddCheckedOptions<StripeOptions>(configuration, StripeOptions.Section, o => o.Problems());

        services.AddLifecycle(new EscrowDecider(payments.ToRules()));
        services.AddStateMetrics<Escrow, EscrowCommand, EscrowMetrics>();
        services.AddSingleton<PaymentProfiles>();
        services.AddTables(PaymentProfiles.Table);

        services.AddEffect<HoldPayment, EscrowOpening>("payment.hold");
        services.AddEffect<AuthorisePayment, Authorisations>("payment.authorise", FlowFact.StepQueue);
        services.AddEffect<CapturePayment, Captures>("payment.capture", FlowFact.StepQueue);
        services.AddEffect<CancelPayment, Cancellations>("payment.cancel", FlowFact.StepQueue);
        services.AddEffect<RefundPayment, Refunds>("payment.refund", FlowFact.StepQueue);
        services.AddEffect<ChargeTip, TipCharges>("payment.tip", FlowFact.StepQueue);
        services.AddEffect<PaymentFailed, PaymentFailures>("payment.failed");
        // A ledger entry is a row insert: the relay writes it itself, the queue is its retry.
        services.AddEffect<RecordLedger, LedgerRecording>("ledger.record", Queue, direct: true);

        return services;
    }
}
