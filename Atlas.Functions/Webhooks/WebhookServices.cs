using Atlas.Functions.Hosting;

namespace Atlas.Functions.Webhooks;

/// <summary>Stripe's events: the webhook's log and queue, how an event is applied, and the catch-up of those no webhook
/// brought.</summary>
public static class WebhookServices
{
    public static IServiceCollection AddStripeWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<StripeEventLog>();
        services.AddSingleton<StripeEventQueue>();
        services.AddSingleton<StripeEventProcessor>();
        services.AddSingleton<StripeEventApplier>();
        services.AddSingleton<StripeCatchUpState>();
        services.AddSingleton<StripeCatchUp>();
        services.AddSingleton<StripeEventMetrics>();
        services.AddTables(StripeEventLog.Table);
        return services;
    }
}
