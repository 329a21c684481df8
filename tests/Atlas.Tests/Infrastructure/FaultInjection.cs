using Atlas.Functions.Hosting;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Testing;

namespace Atlas.Tests.Infrastructure;

public static class FaultInjection
{
    /// <summary>Wraps a runtime's storage and queue ports so every call goes through <paramref name="faults"/>.</summary>
    public static Action<IServiceCollection> With(Faults faults) => services =>
    {
        services.AddSingleton<ITableStore>(sp => new FaultyTableStore(
            CosmosTableStore.Connect(Azurite.ConnectionString, Prefix(sp)), faults));
        services.AddSingleton<FaultyQueueClient>(sp => new FaultyQueueClient(
            new StorageQueueClient(new HttpClient(), StorageConnection.Parse(Azurite.ConnectionString), Prefix(sp) + "-"),
            faults));
        services.AddSingleton<IQueueClient>(sp => sp.GetRequiredService<FaultyQueueClient>());
    };

    private static string Prefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[AtlasServices.NamePrefixSetting] ?? "";
}
