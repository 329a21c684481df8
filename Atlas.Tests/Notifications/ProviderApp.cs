using Atlas.Testing.Fakes;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Notifications;

/// <summary>The app sending through its real providers' clients — Twilio, FCM (and Google's token endpoint), SendGrid —
/// each pointed at a fake on loopback that speaks the provider's API.</summary>
public sealed class ProviderApp : IAsyncLifetime
{
    public const string StatusCallbackUrl = "https://atlas.example/api/webhooks/twilio/sms-status";

    public ProviderApp()
    {
        Twilio = FakeTwilio.StartAsync().GetAwaiter().GetResult();
        Fcm = FakeFcm.StartAsync().GetAwaiter().GetResult();
        SendGrid = FakeSendGrid.StartAsync().GetAwaiter().GetResult();
        App = new AtlasAppFactory(Settings(Twilio, Fcm, SendGrid)) { LatestTextTo = phone => Twilio.Texts.Last(t => t.To == phone).Body };
    }

    public FakeTwilio Twilio { get; }

    public FakeFcm Fcm { get; }

    public FakeSendGrid SendGrid { get; }

    public AtlasAppFactory App { get; }

    public static Dictionary<string, string?> Settings(FakeTwilio twilio, FakeFcm fcm, FakeSendGrid sendGrid) => new()
    {
        ["Sms:Sender"] = "twilio",
        ["Sms:Twilio:AccountSid"] = FakeTwilio.AccountSid,
        ["Sms:Twilio:AuthToken"] = FakeTwilio.AuthToken,
        ["Sms:Twilio:From"] = "+15005550006",
        ["Sms:Twilio:StatusCallbackUrl"] = StatusCallbackUrl,
        ["Sms:Twilio:BaseUrl"] = twilio.BaseUrl.ToString(),
        ["Push:Sender"] = "fcm",
        ["Push:Fcm:ProjectId"] = FakeFcm.ProjectId,
        ["Push:Fcm:ServiceAccountJson"] = fcm.ServiceAccountJson,
        ["Push:Fcm:BaseUrl"] = fcm.BaseUrl.ToString(),
        ["Email:Sender"] = "sendgrid",
        ["Email:From"] = "receipts@atlas.example",
        ["Email:SendGrid:ApiKey"] = FakeSendGrid.ApiKey,
        ["Email:SendGrid:BaseUrl"] = sendGrid.BaseUrl.ToString(),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
        await Fcm.DisposeAsync();
        await SendGrid.DisposeAsync();
    }
}
