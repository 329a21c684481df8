namespace Atlas.Functions.Hosting;

/// <summary>A table or queue a feature registered (<see cref="AtlasServices.AddTables"/>,
/// <see cref="AtlasServices.AddQueues"/>), for <see cref="StorageInitializer"/> to make.</summary>
public abstract record StorageName(string Name)
{
    public sealed record Table(string Name) : StorageName(Name);

    public sealed record Queue(string Name) : StorageName(Name);
}
