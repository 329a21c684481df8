using System.Reflection;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>Where the build put the sample worker (see the test project file).</summary>
public static class SampleWorkerApp
{
    public static string Directory { get; } =
        typeof(SampleWorkerApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "SampleWorkerDirectory").Value!;
}
