using System.Text.Json;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Auth;

/// <summary>Outside Development the app will not start with a secret published in local.settings.sample.json (anyone
/// could sign a platform admin's token with the sample's key); it names the setting. In Development the sample's keys
/// are what it runs on. (Weak keys and Stripe keys of the wrong kind are refused in every environment by the options
/// that use them: SignInLimitsTests.)</summary>
public sealed class PublishedSecretsTests
{
    private static readonly JsonElement Sample = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "local.settings.sample.json"))).RootElement.GetProperty("Values");

    private static string Published(string name) => Sample.GetProperty(name).GetString()!;

    [Theory]
    [InlineData("Auth:SigningKeys:0:Secret", "Auth__SigningKeys__0__Secret")]
    [InlineData("Auth:CodeKey", "Auth__CodeKey")]
    public async Task In_production_a_secret_published_in_the_sample_stops_the_start_naming_the_setting(string setting, string sampleName)
    {
        var failure = await AppServices.StartFailureAsync("Production", new(AppServices.OutsideDevelopment()) { [setting] = Published(sampleName) });

        Assert.Contains($"{setting} has the value published in local.settings.sample.json", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_the_samples_keys_are_accepted()
    {
        using var app = AppServices.Build("Development", new()
        {
            ["Auth:SigningKeys:0:Secret"] = Published("Auth__SigningKeys__0__Secret"),
            ["Auth:CodeKey"] = Published("Auth__CodeKey"),
        });

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task In_production_secrets_of_its_own_are_accepted()
    {
        using var app = AppServices.Build("Production", AppServices.OutsideDevelopment());

        await app.StartAsync();
        await app.StopAsync();
    }


}
