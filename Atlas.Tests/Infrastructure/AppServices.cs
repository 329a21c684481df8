using Atlas.Functions;
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

    /// <summary>What an app outside Development needs on top of the test settings: each channel's provider and a Stripe
    /// account's keys at Stripe's own address (values shaped like real ones; nothing calls them).</summary>
    public static Dictionary<string, string?> OutsideDevelopment() => new()
    {
        ["Sms:Sender"] = "twilio",
        ["Sms:Twilio:AccountSid"] = "AC00000000000000000000000000000001",
        ["Sms:Twilio:AuthToken"] = "twilio-auth-token-of-the-account",
        ["Sms:Twilio:MessagingServiceSid"] = "MG00000000000000000000000000000001",
        ["Sms:Twilio:StatusCallbackUrl"] = "https://atlas.example/api/webhooks/twilio/sms-status",
        ["Push:Sender"] = "fcm",
        ["Push:Fcm:ProjectId"] = "atlas-example",
        ["Push:Fcm:ServiceAccountJson"] = """{"type":"service_account","client_email":"push@atlas-example.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----","token_uri":"https://oauth2.googleapis.com/token"}""",
        ["Email:Sender"] = "sendgrid",
        ["Email:SendGrid:ApiKey"] = "SG.key-of-the-account",
        ["Email:From"] = "receipts@atlas.example",
        ["Stripe:SecretKey"] = "sk_test_51AtlasExampleAccountKey000000",
        ["Stripe:BaseUrl"] = "https://api.stripe.com",
        ["Stripe:WebhookSecrets:0"] = "whsec_AtlasExampleEndpointSecret0000",
    };

    /// <summary>Why the app refused to start on these settings.</summary>
    public static async Task<OptionsValidationException> StartFailureAsync(string environment, Dictionary<string, string?> settings)
    {
        using var app = Build(environment, settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }
}
