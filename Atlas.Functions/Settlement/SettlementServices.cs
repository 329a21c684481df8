using Atlas.Functions.Hosting;

namespace Atlas.Functions.Settlement;

/// <summary>Settlement: a period's run, its reconciliation and its metrics.</summary>
public static class SettlementServices
{
    public static IServiceCollection AddSettlement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCheckedOptions<SettlementOptions>(configuration, SettlementOptions.Section, o => o.Problems());
        services.AddSingleton<SettlementStore>();
        services.AddSingleton<SettlementRun>();
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<SettlementMetrics>();
        services.AddTables(SettlementStore.Table);
        return services;
    }
}
