using Atlas.Functions.Hosting;

namespace Atlas.Functions.Ops;

public static class OpsServices
{
    /// <summary>What the ops endpoints and the console's actions need: the audit log and the poison queues.</summary>
    public static IServiceCollection AddOps(this IServiceCollection services)
    {
        services.AddSingleton<FlowHistory>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PoisonQueues>();
        services.AddSingleton<DailyFacts>();
        services.AddTables(AuditLog.Table, DailyFacts.Table);
        services.AddSingleton<Lifecycles.ILifecycleObserver>(sp => sp.GetRequiredService<DailyFacts>());
        return services;
    }
}
