using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Testing;

namespace Atlas.Tests.Infrastructure;

public static class FaultInjection
{
    /// <summary>Wraps a runtime's storage and queue ports so every call goes through <paramref name="faults"/>.</summary>
    public static Action<IServiceCollection> With(Faults faults) => services =>
    {
        services.Decorate<ITableStore>((inner, _) => new FaultyTableStore(inner, faults));
        services.Decorate<IQueueClient>((inner, _) => new FaultyQueueClient(inner, faults));
        services.AddSingleton(sp => (FaultyQueueClient)sp.GetRequiredService<IQueueClient>());
    };
}
