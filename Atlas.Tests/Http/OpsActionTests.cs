using System.Net;
using Atlas.Functions.Queues;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>The console's actions as API: replaying and discarding poisoned messages (each once), and the audit log
/// of every admin action with who did it and what the app answered.</summary>
public sealed class OpsActionTests
{
    private const string Queue = "notifications";

    [Fact]
    public async Task A_poisoned_message_replayed_twice_goes_back_on_its_queue_once_and_a_discarded_one_is_gone()
    {
        await using var app = new AtlasAppFactory();
        var queues = app.Services.GetRequiredService<IQueueClient>();
        var admin = await Accounts.PlatformAdminAsync(app);
        await queues.SendAsync(QueueNames.Poison(Queue), "{\"replay\":\"me\"}", TimeSpan.Zero, default);
        await queues.SendAsync(QueueNames.Poison(Queue), "{\"discard\":\"me\"}", TimeSpan.Zero, default);
        var poisoned = await queues.PeekAsync(QueueNames.Poison(Queue), 32, default);
        var replay = poisoned.Single(m => m.Text.Contains("replay", StringComparison.Ordinal)).Id;
        var discard = poisoned.Single(m => m.Text.Contains("discard", StringComparison.Ordinal)).Id;
        var listed = await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/poison"));
        Assert.Equal(2, listed.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == Queue).GetProperty("messages").GetArrayLength());

        var first = await TakeAsync(app, admin, replay, "replay");
        var second = await TakeAsync(app, admin, replay, "replay");
        var discarded = await TakeAsync(app, admin, discard, "discard");
        var discardedAgain = await TakeAsync(app, admin, discard, "discard");

        Assert.Equal("replayed", (await HttpAssert.JsonAsync(first)).GetProperty("outcome").GetString());
        await HttpAssert.ProblemAsync(second, HttpStatusCode.NotFound);
        Assert.Equal("discarded", (await HttpAssert.JsonAsync(discarded)).GetProperty("outcome").GetString());
        await HttpAssert.ProblemAsync(discardedAgain, HttpStatusCode.NotFound);
        Assert.Equal(["{\"replay\":\"me\"}"], (await queues.PeekAsync(Queue, 32, default)).Select(m => m.Text));
        Assert.Empty(await queues.PeekAsync(QueueNames.Poison(Queue), 32, default));
        var audit = (await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/audit"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [("poison.discard", 404), ("poison.discard", 200), ("poison.replay", 404), ("poison.replay", 200)],
            audit.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("status").GetInt32())));
        Assert.All(audit, e => Assert.Equal(admin.UserId, e.GetProperty("actorId").GetString()));
        Assert.Contains("was not found", audit[0].GetProperty("outcome").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-queue", "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "queue")]
    [InlineData(Queue, "not-a-message-id", "messageId")]
    public async Task A_replay_of_an_unknown_queue_or_a_malformed_message_id_is_a_400_naming_it(string queue, string messageId, string field)
    {
        await using var app = new AtlasAppFactory();
        var admin = await Accounts.PlatformAdminAsync(app);

        var replay = await admin.Client.PostAsync($"/api/ops/poison/{queue}/{messageId}/replay", null);
        var discard = await admin.Client.PostAsync($"/api/ops/poison/{queue}/{messageId}/discard", null);

        await HttpAssert.ValidationProblemAsync(replay, field);
        await HttpAssert.ValidationProblemAsync(discard, field);
    }

    [Fact]
    public async Task Replaying_a_stripe_event_that_is_not_known_or_not_an_id_is_a_404_or_a_400()
    {
        await using var app = new AtlasAppFactory();
        var admin = await Accounts.PlatformAdminAsync(app);

        await HttpAssert.ProblemAsync(await admin.Client.PostAsync("/api/ops/stripe-events/evt_never_seen/replay", null), HttpStatusCode.NotFound);
        await HttpAssert.ValidationProblemAsync(await admin.Client.PostAsync("/api/ops/stripe-events/pi_123/replay", null), "id");
    }

    [Fact]
    public async Task A_company_admin_adding_and_removing_a_member_is_in_the_audit_log_with_the_answers()
    {
        await using var app = new AtlasAppFactory();
        var company = await TestCompany.CreateAsync(app);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var added = await HttpAssert.JsonAsync(
            await company.Admin.Client.PostAsJsonAsync($"/api/companies/{company.Id}/members", new { phone = Accounts.NewPhone(), role = "dispatcher" }), HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await company.Admin.Client.DeleteAsync($"/api/companies/{company.Id}/members/{added.GetProperty("id").GetString()}");

        var admin = await Accounts.PlatformAdminAsync(app);
        var audit = (await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/audit?limit=2"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["member.remove", "member.add"], audit.Select(e => e.GetProperty("action").GetString()));
        Assert.All(audit, e => Assert.Equal((company.Admin.UserId, "companyAdmin", company.Id), (e.GetProperty("actorId").GetString(), e.GetProperty("actorRole").GetString(), e.GetProperty("companyId").GetString())));
        Assert.Equal(201, audit[1].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first_and_refuses_a_cursor_it_did_not_give()
    {
        await using var app = new AtlasAppFactory();
        var admin = await Accounts.PlatformAdminAsync(app);
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await admin.Client.PostAsync("/api/ops/stripe-events/evt_missing" + i + "/replay", null);
        }

        var first = await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/audit?limit=2"));
        var next = first.GetProperty("next").GetString()!;
        var rest = await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/audit?limit=2&after={next}"));

        Assert.Equal(
            ["POST /api/ops/stripe-events/evt_missing2/replay", "POST /api/ops/stripe-events/evt_missing1/replay", "POST /api/ops/stripe-events/evt_missing0/replay"],
            first.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray()).Select(e => e.GetProperty("target").GetString()));
        await HttpAssert.ValidationProblemAsync(await admin.Client.GetAsync("/api/ops/audit?after=../x"), "after");
        await HttpAssert.ValidationProblemAsync(await admin.Client.GetAsync("/api/ops/audit?limit=0"), "limit");
    }

    /// <summary>One action a second after the last, so the audit log's order is the order they were taken in.</summary>
    private static Task<HttpResponseMessage> TakeAsync(AtlasAppFactory app, SignedIn admin, string messageId, string action)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        return admin.Client.PostAsync($"/api/ops/poison/{Queue}/{messageId}/{action}", null);
    }
}
