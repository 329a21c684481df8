using Atlas.Functions.Hosting;
using Atlas.Tests.Sample;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Atlas.Tests.Infrastructure;

/// <summary>The whole app in-process behind a test HTTP client, on the test Azurite under its own prefix,
/// with a manual clock and the sample lifecycle's routes.</summary>
public sealed class AtlasAppFactory(HostingMode mode = HostingMode.Standalone, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string Prefix { get; } = Azurite.NewPrefix();

    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in TestSettings.For(Prefix, mode).Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSampleJobs();
        });
    }
}
