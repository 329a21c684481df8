using System.Text.Json;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Functions;

/// <summary>Outside Development the app will not start on parts made for development — a channel kept in memory, a
/// provider or Stripe at a fake's address, the local fake Stripe's key or secret — and names the setting; it starts on
/// real providers and any Stripe account's key. (Issue 20: on the sample's settings it started in Production with the
/// recorders and a fake Stripe key, so sign-in codes went nowhere.)</summary>
public sealed class DevelopmentPartsTests
{
    [Theory]
    [InlineData("Sms:Sender", "recorder", "Sms:Sender is 'twilio' outside Development")]
    [InlineData("Push:Sender", "recorder", "Push:Sender is 'fcm' outside Development")]
    [InlineData("Email:Sender", "recorder", "Email:Sender is 'sendgrid' outside Development")]
    [InlineData("Sms:Twilio:BaseUrl", "http://127.0.0.1:9/", "Sms:Twilio:BaseUrl is http://127.0.0.1:9/: outside Development it is https://api.twilio.com")]
    [InlineData("Push:Fcm:BaseUrl", "http://127.0.0.1:9/", "Push:Fcm:BaseUrl is http://127.0.0.1:9/")]
    [InlineData("Email:SendGrid:BaseUrl", "http://127.0.0.1:9/", "Email:SendGrid:BaseUrl is http://127.0.0.1:9/")]
    [InlineData("Stripe:BaseUrl", "http://127.0.0.1:12111/", "Stripe:BaseUrl is http://127.0.0.1:12111/: outside Development it is https://api.stripe.com")]
    [InlineData("Stripe:SecretKey", TestSettings.StripeKey, "Stripe:SecretKey is not a Stripe account's key")]
    [InlineData("Stripe:SecretKey", "sk_fake_123", "Stripe:SecretKey is not a Stripe account's key")]
    [InlineData("Stripe:SecretKey", "sk_live_", "Stripe:SecretKey is not a Stripe account's key")]
    [InlineData("Stripe:WebhookSecrets:1", TestSettings.WebhookSecret, "Stripe:WebhookSecrets:1 is the local fake Stripe's signing secret")]
    public async Task In_production_a_development_part_stops_the_start_naming_the_setting(string setting, string value, string message)
    {
        var failure = await AppServices.StartFailureAsync("Production", new(AppServices.OutsideDevelopment()) { [setting] = value });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_on_the_samples_settings_with_keys_of_its_own_every_development_part_is_named()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), "local.settings.sample.json"))).RootElement.GetProperty("Values");
        var settings = sample.EnumerateObject()
            .Where(s => !s.Name.StartsWith("//", StringComparison.Ordinal) && !s.Name.StartsWith("Auth__", StringComparison.Ordinal)
                && s.Name is not ("AzureWebJobsStorage" or "Storage__NamePrefix" or "DurableTaskHub"))
            .ToDictionary(s => s.Name.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value.GetString());

        // As ./atlas run gives the app when it starts the local fake Stripe.
        settings["Stripe:SecretKey"] = TestSettings.StripeKey;
        settings["Stripe:WebhookSecrets:0"] = TestSettings.WebhookSecret;

        using var app = AppServices.Build("Production", settings);

        // Each options type that fails is one exception; several come together.
        var failure = await Assert.ThrowsAsync<AggregateException>(() => app.StartAsync());
        var messages = string.Join("\n", failure.InnerExceptions.OfType<OptionsValidationException>().Select(e => e.Message));
        Assert.All(
            ["Sms:Sender is 'twilio'", "Push:Sender is 'fcm'", "Email:Sender is 'sendgrid'", "Stripe:SecretKey is not a Stripe account's key", "Stripe:WebhookSecrets:0 is the local fake"],
            named => Assert.Contains(named, messages, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sk_live_51AtlasLiveKey")]
    [InlineData("sk_test_51AtlasTestKey")]
    [InlineData("rk_live_51AtlasRestrictedKey")]
    [InlineData("rk_test_51AtlasRestrictedKey")]
    public async Task In_production_real_providers_and_a_stripe_accounts_key_start(string key)
    {
        using var app = AppServices.Build("Production", new(AppServices.OutsideDevelopment()) { ["Stripe:SecretKey"] = key });

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task In_development_the_recorders_and_the_local_fake_stripe_start()
    {
        using var app = AppServices.Build("Development", new()
        {
            ["Sms:Sender"] = "recorder",
            ["Stripe:SecretKey"] = TestSettings.StripeKey,
            ["Stripe:BaseUrl"] = "http://127.0.0.1:12111/",
            ["Stripe:WebhookSecrets:0"] = TestSettings.WebhookSecret,
        });

        await app.StartAsync();
        await app.StopAsync();
    }
}
