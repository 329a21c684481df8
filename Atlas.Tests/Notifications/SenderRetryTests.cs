using System.Net.Http.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Testing.Fakes;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Notifications;

/// <summary>Each provider is asked once per delivery: a failure is a <see cref="RetryLaterException"/> for the
/// notifications queue to deliver again (docs/retries.md), never a second request made by the sender or its SDK.</summary>
public sealed class SenderRetryTests(ProviderApp providers) : IClassFixture<ProviderApp>
{
    private AtlasAppFactory App => providers.App;

    [Fact]
    public async Task A_failing_Twilio_is_asked_once_and_the_retry_is_the_queues()
    {
        var phone = Accounts.NewPhone();
        providers.Twilio.Refuse(20500, 503);

        await Assert.ThrowsAsync<RetryLaterException>(() =>
            App.Services.GetRequiredService<ISmsSender>().SendAsync(new SmsMessage(phone, "Atlas: once", "bid.won"), $"once-{phone}", default));

        Assert.Single(providers.Twilio.Requests, r => r.Body.Contains(Uri.EscapeDataString(phone), StringComparison.Ordinal));
        Assert.DoesNotContain(providers.Twilio.Texts, t => t.To == phone);
    }

    [Fact]
    public async Task A_failing_SendGrid_is_asked_once_and_the_retry_is_the_queues()
    {
        var to = $"once-{Guid.NewGuid():N}@atlas.example";
        providers.SendGrid.Fail("/v3/mail/send", context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });

        await Assert.ThrowsAsync<RetryLaterException>(() =>
            App.Services.GetRequiredService<IEmailSender>().SendAsync(new EmailMessage(to, "Receipt", "Thanks.", "ride.receipt"), $"once-{to}", default));

        Assert.Single(providers.SendGrid.Requests, r => r.Body.Contains(to, StringComparison.Ordinal));
        Assert.DoesNotContain(providers.SendGrid.Mails, m => m.To == to);
    }

    [Fact]
    public async Task A_busy_FCM_is_asked_once_and_the_retry_is_the_queues()
    {
        var user = await Accounts.SignInAsync(App, withCard: false);
        var token = $"once-{user.UserId}";
        await HttpAssert.JsonAsync(await user.Client.PutAsJsonAsync("/api/me/devices/phone", new { platform = "android", token }));
        providers.Fcm.Busy(token);

        await Assert.ThrowsAsync<RetryLaterException>(() => App.Services.GetRequiredService<IPushSender>().SendAsync(
            new PushMessage(user.UserId, "ride.driver-arrived", "bk_1", "rd_1", "Ride", "Your driver has arrived."), $"once-{user.UserId}", default));

        Assert.Single(providers.Fcm.Requests, r => r.Body.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(providers.Fcm.Pushes, p => p.Token == token);
    }
}
