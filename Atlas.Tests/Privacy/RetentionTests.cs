using System.Security.Cryptography;
using System.Text;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Notifications.Providers;
using Atlas.Functions.Storage;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Privacy;

/// <summary>The daily purge deletes each kind of record kept only to run the app once its period is over, and not before.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Each_kind_of_record_is_purged_by_the_timer_once_its_period_is_over_and_not_before()
    {
        await using var app = new AtlasAppFactory();
        var services = app.Services;
        var instances = services.GetRequiredService<InstanceStore>();
        var tables = services.GetRequiredService<ITableStore>();
        var keys = services.GetRequiredService<IdempotencyKeys>();
        var deliveries = services.GetRequiredService<DeliveryLog>();
        var texts = services.GetRequiredService<SmsLog>();

        var user = await Accounts.SignInAsync(app, withCard: false);
        var sessionId = user.RefreshToken.Split('.')[0];
        var tried = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(app.CreateClient(), tried);
        await keys.ClaimAsync("test|retention", "key-old", "fingerprint", "id-1", default);
        await deliveries.ClaimAsync("sms", "retention-1", default);
        await deliveries.SentAsync("sms", "retention-1", "SM1", default);
        await texts.SentAsync("SM" + new string('a', 32), new SmsMessage(tried, "Atlas: hello", "bid.won"), "queued", default);

        // Two days on: challenges, the phone that only tried to sign in, and idempotency records go; the rest stays.
        app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await keys.ClaimAsync("test|retention", "key-young", "fingerprint", "id-2", default);
        await PurgeAsync(app);

        Assert.Null(await instances.LoadAsync(ChallengeDecider.Name, challengeId, default));
        Assert.Null(await instances.LoadAsync(AccountDecider.Name, PhoneNumber.FromStored(tried).Digits, default));
        Assert.NotNull(await instances.LoadAsync(AccountDecider.Name, PhoneNumber.FromStored(user.Phone).Digits, default));
        Assert.NotNull(await instances.LoadAsync(SessionDecider.Name, sessionId, default));
        Assert.Null(await tables.GetAsync(IdempotencyKeys.Table, "test|retention", KeyRow("key-old"), default));
        Assert.NotNull(await tables.GetAsync(IdempotencyKeys.Table, "test|retention", KeyRow("key-young"), default));
        Assert.Equal(DeliveryLog.Claim.Done, await deliveries.ClaimAsync("sms", "retention-1", default));
        Assert.Single(await texts.SentToAsync(tried, default));

        // A month on: the SMS and delivery logs go, and the session nobody used since.
        app.Clock.Advance(TimeSpan.FromDays(29));
        await PurgeAsync(app);

        Assert.Empty(await texts.SentToAsync(tried, default));
        Assert.Empty((await texts.ListAsync(null, null, 10, default)).Items);
        Assert.Equal(DeliveryLog.Claim.Send, await deliveries.ClaimAsync("sms", "retention-1", default));
        Assert.Null(await instances.LoadAsync(SessionDecider.Name, sessionId, default));
        Assert.Empty(await services.GetRequiredService<UserSessions>().ListAsync(user.UserId, default));
        Assert.NotNull(await instances.LoadAsync(AccountDecider.Name, PhoneNumber.FromStored(user.Phone).Digits, default));
    }

    private static async Task PurgeAsync(AtlasAppFactory app)
    {
        var before = CountRuns(app);
        await app.App.Host.FireTimerAsync("PurgeRecords");
        Assert.True(CountRuns(app) == before + 1, app.HostLog);
    }

    private static int CountRuns(AtlasAppFactory app) =>
        app.HostLog.Split('\n').Count(l => l.Contains("Executed 'Functions.PurgeRecords' (Succeeded", StringComparison.Ordinal));

    private static string KeyRow(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
