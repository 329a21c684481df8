using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Core.Notifications;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Queues;
using Atlas.Testing.Fakes;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Notifications;

/// <summary>Devices registered over HTTP, and notices pushed to each through FCM's HTTP v1 API with a service account's
/// token: dead tokens remove their device, busy answers are retried after Retry-After for that device alone.</summary>
public sealed class FcmPushTests(ProviderApp providers) : IClassFixture<ProviderApp>
{
    private AtlasAppFactory App => providers.App;

    private FakeFcm Fcm => providers.Fcm;

    [Fact]
    public async Task A_user_registers_devices_sees_them_without_tokens_and_has_at_most_ten()
    {
        var user = await Accounts.SignInAsync(App, withCard: false);
        for (var i = 0; i < 10; i++)
        {
            await HttpAssert.JsonAsync(await PutDeviceAsync(user, $"phone-{i}", $"token-{user.UserId}-{i}"));
        }

        var eleventh = await PutDeviceAsync(user, "phone-10", $"token-{user.UserId}-10");
        var again = await HttpAssert.JsonAsync(await PutDeviceAsync(user, "phone-3", $"token-{user.UserId}-3b", "ios"));
        var listed = await user.Client.GetStringAsync("/api/me/devices");

        var problem = await HttpAssert.ProblemAsync(eleventh, HttpStatusCode.Conflict);
        Assert.Equal("device-limit", problem.GetProperty("code").GetString());
        Assert.Equal("ios", again.GetProperty("platform").GetString());
        Assert.DoesNotContain("token-", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync("/api/me/devices/phone-0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.DeleteAsync("/api/me/devices/phone-0")).StatusCode);
        await HttpAssert.JsonAsync(await PutDeviceAsync(user, "phone-10", $"token-{user.UserId}-10"));
    }

    [Theory]
    [InlineData("""{"platform":"android"}""", "token")]
    [InlineData("""{"platform":"windows","token":"t"}""", "platform")]
    [InlineData("""{"platform":"android","token":"has space"}""", "token")]
    public async Task A_bad_device_is_400_naming_the_field(string body, string field)
    {
        var user = await Accounts.SignInAsync(App, withCard: false);

        var response = await user.Client.PutAsync("/api/me/devices/phone-1", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_token_registered_by_another_user_leaves_the_first()
    {
        var first = await Accounts.SignInAsync(App, withCard: false);
        var second = await Accounts.SignInAsync(App, withCard: false);
        var token = $"shared-{first.UserId}";
        await HttpAssert.JsonAsync(await PutDeviceAsync(first, "old-phone", token));

        await HttpAssert.JsonAsync(await PutDeviceAsync(second, "new-phone", token));
        await PushAsync(first.UserId, "first");

        Assert.DoesNotContain(Fcm.Pushes, p => p.Token == token);
        Assert.Empty((await HttpAssert.JsonAsync(await first.Client.GetAsync("/api/me/devices"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_notice_reaches_every_device_a_dead_token_is_removed_and_a_busy_one_is_retried_after_Retry_After_alone()
    {
        var user = await Accounts.SignInAsync(App, withCard: false);
        string Token(string device) => $"{device}-{user.UserId}";
        foreach (var device in new[] { "good", "dead", "invalid", "busy" })
        {
            await HttpAssert.JsonAsync(await PutDeviceAsync(user, device, Token(device)));
        }

        Fcm.Kill(Token("dead"));
        Fcm.Kill(Token("invalid"), invalid: true);
        Fcm.Busy(Token("busy"));
        var tokensBefore = Fcm.TokenRequests;

        var busy = await Assert.ThrowsAsync<RetryLaterException>(() => PushAsync(user.UserId, "k1"));
        var tooSoon = await Assert.ThrowsAsync<RetryLaterException>(() => PushAsync(user.UserId, "k1"));
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        await PushAsync(user.UserId, "k1");
        await PushAsync(user.UserId, "k1");
        await PushAsync(user.UserId, "k2");

        Assert.Equal(TimeSpan.FromSeconds(1), busy.Delay);
        Assert.True(tooSoon.Delay <= TimeSpan.FromSeconds(1) && tooSoon.Delay > TimeSpan.Zero, $"{tooSoon.Delay}");
        Assert.Equal(2, Fcm.Pushes.Count(p => p.Token == Token("good")));
        Assert.Equal(2, Fcm.Pushes.Count(p => p.Token == Token("busy")));
        var push = Fcm.Pushes.First(p => p.Token == Token("good"));
        Assert.Equal(("Ride", "Your driver has arrived."), (push.Title, push.Body));
        Assert.Equal(("ride.driver-arrived", "bk_1", "rd_1"), (push.Data["topic"], push.Data["bookingId"], push.Data["rideId"]));
        var devices = (await HttpAssert.JsonAsync(await user.Client.GetAsync("/api/me/devices"))).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()).ToList();
        Assert.Equal(["busy", "good"], devices.Order());
        Assert.True(Fcm.TokenRequests - tokensBefore <= 1, "the access token is cached until it nears expiry");
    }

    [Fact]
    public async Task A_notice_to_a_user_who_set_French_is_in_French()
    {
        var user = await Accounts.SignInAsync(App, withCard: false);
        await HttpAssert.JsonAsync(await PutDeviceAsync(user, "phone", $"fr-{user.UserId}"));
        await HttpAssert.JsonAsync(await user.Client.PutAsJsonAsync("/api/me", new { language = "fr" }));

        await App.Services.GetRequiredService<NoticeSending>().SendAsync(new Notice(user.UserId, "ride.started", "bk_1", RideId: "rd_1"), "fr-1", default);

        var push = Assert.Single(Fcm.Pushes, p => p.Token == $"fr-{user.UserId}");
        Assert.Equal(("Course", "Votre course a commencé."), (push.Title, push.Body));
    }

    [Fact]
    public async Task A_notice_FCM_asks_to_wait_for_goes_back_on_its_queue_without_spending_a_delivery()
    {
        var user = await Accounts.SignInAsync(App, withCard: false);
        await HttpAssert.JsonAsync(await PutDeviceAsync(user, "phone", $"wait-{user.UserId}"));
        Fcm.Busy($"wait-{user.UserId}");
        var effectId = $"notify-wait-{Guid.NewGuid():N}";
        var notify = new Notify([new Notice(user.UserId, "ride.started", "bk_1", RideId: "rd_1")]);
        var envelope = new EffectEnvelope(effectId, "notify", "booking", "bk_1", JsonSerializer.SerializeToElement(notify, LifecycleJson.Options));
        var queues = App.Services.GetRequiredService<IQueueClient>();
        var before = await queues.ApproximateCountAsync(NotificationServices.Queue, default);

        // Its last delivery: had the handler thrown, the host would poison it.
        await App.Services.GetRequiredService<EffectDispatcher>().HandleAsync(
            new QueueMessage("m1", "", 5, JsonSerializer.Serialize(envelope, LifecycleJson.Options)), default);

        Assert.Equal(before + 1, await queues.ApproximateCountAsync(NotificationServices.Queue, default));
        Assert.DoesNotContain(await queues.ReceiveAsync(NotificationServices.Queue, 32, TimeSpan.Zero, default), m => m.Text.Contains(effectId, StringComparison.Ordinal));
        Assert.DoesNotContain(Fcm.Pushes, p => p.Token == $"wait-{user.UserId}");
    }

    private Task PushAsync(string userId, string key) =>
        App.Services.GetRequiredService<IPushSender>().SendAsync(
            new PushMessage(userId, "ride.driver-arrived", "bk_1", "rd_1", "Ride", "Your driver has arrived."), key, default);

    private static Task<HttpResponseMessage> PutDeviceAsync(SignedIn user, string deviceId, string token, string platform = "android") =>
        user.Client.PutAsJsonAsync($"/api/me/devices/{deviceId}", new { platform, token });
}
