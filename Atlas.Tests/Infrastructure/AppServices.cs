using Atlas.Functions.Hosting;
using Atlas.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Infrastructure;

/// <summary>The app's services as Program registers them, on the test settings and the ones given, without the
/// Functions host or a worker: for what the app decides on start.</summary>
public static class AppServices
{
    public static IHost Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(Azurite.NewPrefix()));
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAtlasServices(builder.Configuration, builder.Environment);
        return builder.Build();
    }

    /// <summary>Why the app refused to start on these settings.</summary>
    public static async Task<OptionsValidationException> StartFailureAsync(string environment, Dictionary<string, string?> settings)
    {
        using var app = Build(environment, settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }
}
