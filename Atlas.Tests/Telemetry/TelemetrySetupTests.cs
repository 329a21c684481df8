using Atlas.Functions.Telemetry;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace Atlas.Tests.Telemetry;

public sealed class TelemetrySetupTests
{
    [Fact]
    public void Telemetry_is_exported_only_when_Application_Insights_is_configured()
    {
        using var off = Services(new Dictionary<string, string?>());
        using var on = Services(new Dictionary<string, string?>
        {
            [TelemetrySetup.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
            [TelemetrySetup.AuthenticationSetting] = "Authorization=AAD",
        });

        Assert.Null(off.GetService<TracerProvider>());
        Assert.NotNull(on.GetService<TracerProvider>());
        Assert.NotNull(off.GetService<AtlasMetrics>());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("Authorization=AAD", typeof(ManagedIdentityCredential))]
    [InlineData("authorization=aad; ClientId=11111111-2222-3333-4444-555555555555", typeof(ManagedIdentityCredential))]
    [InlineData("Authorization=Key", null)]
    public void The_authentication_string_names_the_identity_that_signs_the_export(string? authentication, Type? expected) =>
        Assert.Equal(expected, TelemetrySetup.Credential(authentication)?.GetType());

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddAtlasTelemetry(configuration).BuildServiceProvider();
    }
}
