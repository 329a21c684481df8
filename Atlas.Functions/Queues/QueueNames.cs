using Atlas.Functions.Hosting;

namespace Atlas.Functions.Queues;

/// <summary>Queue names as the functions declare them and as storage knows them.</summary>
public static class QueueNames
{
    /// <summary>Where the Functions host moves a message that failed maxDequeueCount times.</summary>
    public static string Poison(string queue) => $"{queue}-poison";

    /// <summary>A trigger's queue name with its <c>%Storage:NamePrefix%</c> taken out: the name the queue port uses
    /// (the port puts the prefix back).</summary>
    public static string Unprefixed(string declared) =>
        declared.Replace("%" + AtlasServices.NamePrefixSetting + "%", "", StringComparison.Ordinal);
}
