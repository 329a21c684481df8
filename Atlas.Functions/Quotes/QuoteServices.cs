using Atlas.Functions.Hosting;

namespace Atlas.Functions.Quotes;

/// <summary>Pricing and quotes.</summary>
public static class QuoteServices
{
    public static IServiceCollection AddQuotes(this IServiceCollection services, IConfiguration configuration)
    {
        // Read once at start: a wrong price list stops the app with the setting to fix, not the first quote.
        var pricing = new PricingOptions();
        configuration.GetSection(PricingOptions.Section).Bind(pricing);
        services.AddSingleton(pricing.ToPriceList());
        services.AddSingleton<QuoteTokens>();
        return services;
    }
}
