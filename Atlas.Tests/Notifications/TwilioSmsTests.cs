using System.Net;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Queues;
using Atlas.Testing.Fakes;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Notifications;

/// <summary>Texts through Twilio's client against the fake Messages API: once per effect, refusals recorded and not
/// retried, busy answers retried, and status callbacks checked by their signature.</summary>
public sealed class TwilioSmsTests(ProviderApp providers) : IClassFixture<ProviderApp>
{
    private AtlasAppFactory App => providers.App;

    private FakeTwilio Twilio => providers.Twilio;

    [Fact]
    public async Task A_sign_in_code_is_texted_once_however_often_its_effect_is_delivered()
    {
        var phone = Accounts.NewPhone();
        var client = App.CreateClient();
        var challengeId = await Accounts.StartAsync(client, phone);

        var queues = App.Services.GetRequiredService<IQueueClient>();
        var message = Assert.Single(
            await queues.ReceiveAsync(NotificationServices.Queue, 32, TimeSpan.Zero, default),
            m => m.Text.Contains("auth.send-sign-in-code", StringComparison.Ordinal) && m.Text.Contains(challengeId, StringComparison.Ordinal));
        var dispatcher = App.Services.GetRequiredService<EffectDispatcher>();
        await Task.WhenAll(dispatcher.HandleAsync(message, default), dispatcher.HandleAsync(message, default));
        await App.PumpAsync();

        var text = Assert.Single(Twilio.Texts, t => t.To == phone);
        var code = Atlas.Testing.SmsCodes.In(text.Body);
        Assert.Equal($"{code} is your Atlas sign-in code. It expires in 5 minutes; never share it.", text.Body);
        Assert.Equal(("+15005550006", ProviderApp.StatusCallbackUrl), (text.From, text.StatusCallback));
        await HttpAssert.JsonAsync(await Accounts.VerifyAsync(client, challengeId, code));
    }

    [Fact]
    public async Task A_number_that_unsubscribed_is_recorded_as_refused_and_not_tried_again()
    {
        var sms = App.Services.GetRequiredService<ISmsSender>();
        var phone = Accounts.NewPhone();
        Twilio.Refuse(21610);

        await sms.SendAsync(new SmsMessage(phone, "Atlas: test", "bid.won"), "refused-1", default);
        await sms.SendAsync(new SmsMessage(phone, "Atlas: test", "bid.won"), "refused-1", default);

        Assert.Single(Twilio.Requests, r => r.Body.Contains(Uri.EscapeDataString(phone), StringComparison.Ordinal));
        Assert.DoesNotContain(Twilio.Texts, t => t.To == phone);
        var refused = await OpsAsync("refused");
        Assert.Contains(refused, r => r.GetProperty("errorCode").GetString() == "21610" && r.GetProperty("kind").GetString() == "bid.won");
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_busy_or_failing_Twilio_is_tried_again_and_the_text_goes_once(int status)
    {
        var sms = App.Services.GetRequiredService<ISmsSender>();
        var phone = Accounts.NewPhone();
        var key = $"busy-{status}";
        Twilio.Refuse(status == 429 ? 20429 : 20500, status);

        var first = await Record.ExceptionAsync(() => sms.SendAsync(new SmsMessage(phone, "Atlas: test", "bid.won"), key, default));
        var tooSoon = await Record.ExceptionAsync(() => sms.SendAsync(new SmsMessage(phone, "Atlas: test", "bid.won"), key, default));
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        await sms.SendAsync(new SmsMessage(phone, "Atlas: test", "bid.won"), key, default);
        await sms.SendAsync(new SmsMessage(phone, "Atlas: test", "bid.won"), key, default);

        Assert.Equal(DeliveryLog.Backoff(1), Assert.IsType<RetryLaterException>(first).Delay);
        Assert.IsType<RetryLaterException>(tooSoon);
        Assert.Single(Twilio.Texts, t => t.To == phone);
    }

    [Fact]
    public async Task A_signed_status_callback_records_an_undelivered_sign_in_code_for_operators()
    {
        var rider = await Accounts.SignInAsync(App, withCard: false);
        var text = Twilio.Texts.Last(t => t.To == rider.Phone);

        var response = await CallbackAsync(new() { ["MessageSid"] = text.Sid, ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30003", ["AccountSid"] = FakeTwilio.AccountSid });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var undelivered = Assert.Single(await OpsAsync("undelivered"), r => r.GetProperty("sid").GetString() == text.Sid);
        Assert.Equal(("sign-in-code", "30003"), (undelivered.GetProperty("kind").GetString(), undelivered.GetProperty("errorCode").GetString()));
        Assert.DoesNotContain(rider.Phone[3..^2], undelivered.GetProperty("to").GetString()!, StringComparison.Ordinal);
        Assert.EndsWith(rider.Phone[^2..], undelivered.GetProperty("to").GetString()!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("wrong-url")]
    [InlineData("missing")]
    public async Task A_status_callback_not_signed_for_this_url_and_form_is_refused(string how)
    {
        var rider = await Accounts.SignInAsync(App, withCard: false);
        var sid = Twilio.Texts.Last(t => t.To == rider.Phone).Sid;
        var form = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed", ["AccountSid"] = FakeTwilio.AccountSid };
        var signature = how switch
        {
            "wrong-url" => FakeTwilio.Sign("https://elsewhere.example/api/webhooks/twilio/sms-status", form),
            "missing" => null,
            _ => FakeTwilio.Sign(ProviderApp.StatusCallbackUrl, form),
        };
        if (how == "tampered")
        {
            form["MessageStatus"] = "delivered";
        }

        var response = await CallbackAsync(form, signature);

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("X-Twilio-Signature", out _));
        Assert.DoesNotContain(await OpsAsync("failed"), r => r.GetProperty("sid").GetString() == sid);
        Assert.DoesNotContain(await OpsAsync("delivered"), r => r.GetProperty("sid").GetString() == sid);
    }

    private async Task<HttpResponseMessage> CallbackAsync(Dictionary<string, string> form, string? signature = "sign")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/twilio/sms-status") { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature == "sign" ? FakeTwilio.Sign(ProviderApp.StatusCallbackUrl, form) : signature);
        }

        return await App.CreateClient().SendAsync(request);
    }

    private async Task<IReadOnlyList<System.Text.Json.JsonElement>> OpsAsync(string status)
    {
        var admin = await Accounts.PlatformAdminAsync(App);
        var page = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/sms?status={status}&limit=100"));
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
