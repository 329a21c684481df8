using Atlas.Functions.Hosting;

namespace Atlas.Functions.Ledger;

/// <summary>The double-entry ledger: its store, and the recoveries of a failed payout. Its postings come as the
/// escrow's <c>RecordLedger</c> effect, carried out by <see cref="LedgerRecording"/> on the payments queue.</summary>
public static class LedgerServices
{
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<Recoveries>();
        services.AddTables(LedgerStore.Table);
        return services;
    }
}
