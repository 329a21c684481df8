using Atlas.LocalHost.Tests.Infrastructure;

namespace Atlas.LocalHost.Tests;

/// <summary>HTTP, queue and timer tests share one host: starting a worker costs about a second.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "Local host over the sample worker";
}
