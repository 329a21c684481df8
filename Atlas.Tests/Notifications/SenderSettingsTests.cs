using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Notifications;

/// <summary>A sender named without what it needs stops the app's start, naming the setting to fix.</summary>
public sealed class SenderSettingsTests
{
    [Theory]
    [InlineData("Sms:Sender", "twilio", "Sms:Twilio:AccountSid is required")]
    [InlineData("Sms:Sender", "twilio", "Sms:Twilio:StatusCallbackUrl is required")]
    [InlineData("Sms:Sender", "twilio", "Sms:Twilio:MessagingServiceSid or Sms:Twilio:From is required")]
    [InlineData("Push:Sender", "fcm", "Push:Fcm:ServiceAccountJson is required")]
    [InlineData("Push:Sender", "fcm", "Push:Fcm:ProjectId is required")]
    [InlineData("Push:Fcm:ServiceAccountJson", "{\"type\":\"authorized_user\"}", "Push:Fcm:ServiceAccountJson is not a service account's JSON key", "fcm")]
    [InlineData("Push:Fcm:ServiceAccountJson", "not json", "Push:Fcm:ServiceAccountJson is not a service account's JSON key", "fcm")]
    [InlineData("Email:Sender", "sendgrid", "Email:SendGrid:ApiKey is required")]
    [InlineData("Email:Sender", "sendgrid", "Email:From is required")]
    [InlineData("Sms:Sender", "carrier-pigeon", "Sms:Sender is 'twilio' (or 'recorder'")]
    [InlineData("Push:Sender", "apns", "Push:Sender is 'fcm' (or 'recorder'")]
    public async Task A_sender_without_its_settings_stops_the_start_naming_them(string setting, string value, string message, string? push = null)
    {
        using var app = AppServices.Build("Development", new() { [setting] = value, ["Push:Sender"] = push ?? (setting == "Push:Sender" ? value : "recorder") });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_a_channel_without_a_sender_stops_the_start()
    {
        using var app = AppServices.Build("Production", new(AppServices.OutsideDevelopment()) { ["Email:Sender"] = null });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Email:Sender is 'sendgrid'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_every_setting_given_the_providers_start()
    {
        using var app = AppServices.Build("Development", new()
        {
            ["Sms:Sender"] = "twilio",
            ["Sms:Twilio:AccountSid"] = "AC1",
            ["Sms:Twilio:AuthToken"] = "token",
            ["Sms:Twilio:MessagingServiceSid"] = "MG1",
            ["Sms:Twilio:StatusCallbackUrl"] = "https://atlas.example/api/webhooks/twilio/sms-status",
            ["Push:Sender"] = "fcm",
            ["Push:Fcm:ProjectId"] = "p",
            ["Push:Fcm:ServiceAccountJson"] = """{"type":"service_account","client_email":"a@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----","token_uri":"https://oauth2.googleapis.com/token"}""",
            ["Email:Sender"] = "sendgrid",
            ["Email:SendGrid:ApiKey"] = "SG.x",
            ["Email:From"] = "a@example.com",
        });

        await app.StartAsync();
        await app.StopAsync();
    }
}
