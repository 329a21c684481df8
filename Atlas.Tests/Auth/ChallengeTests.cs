using System.Net;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Auth;

/// <summary>The challenge's rules through real HTTP: wrong codes, single use, expiry, resends, the hourly cap,
/// and where the code is (not) kept.</summary>
public sealed class ChallengeTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_wrong_code_says_how_many_tries_are_left_and_the_fifth_burns_the_challenge()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var left = 4; left >= 1; left--)
        {
            var problem = await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, wrong), HttpStatusCode.BadRequest);
            Assert.Equal(left, problem.GetProperty("attemptsLeft").GetInt32());
        }

        var burned = await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, wrong), HttpStatusCode.Conflict);
        Assert.Equal("challenge-burned", burned.GetProperty("code").GetString());

        // Even the right code no longer works.
        var after = await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, code), HttpStatusCode.Conflict);
        Assert.Equal("challenge-burned", after.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_code_works_once()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);
        await HttpAssert.JsonAsync(await Accounts.VerifyAsync(_client, challengeId, code));

        var again = await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, code), HttpStatusCode.Conflict);

        Assert.Equal("challenge-used", again.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Two_concurrent_verifies_of_the_right_code_make_exactly_one_session()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => app.CreateClient().PostAsJsonAsync(
            "/api/auth/otp/verify", new { challengeId, code })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task After_five_minutes_the_code_is_refused_as_expired_without_a_timer_or_an_orchestration()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.DrainAsync();

        var late = await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, code), HttpStatusCode.Conflict);
        Assert.Equal("challenge-expired", late.GetProperty("code").GetString());
        var (state, _) = await app.Services.GetRequiredService<Lifecycle<Atlas.Core.Auth.Challenge, Atlas.Core.Auth.ChallengeCommand>>()
            .GetAsync(challengeId, default);
        Assert.IsType<Atlas.Core.Auth.ExpiredChallenge>(state);
        await foreach (var flow in app.Durable.GetAllInstancesAsync(new Microsoft.DurableTask.Client.OrchestrationQuery { InstanceIdPrefix = "deadline-signin-" }))
        {
            Assert.Fail($"A sign-in started {flow.InstanceId}.");
        }
    }

    [Fact]
    public async Task An_unknown_challenge_is_404()
    {
        await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, "ch_never-issued", "123456"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(
            await _client.PostAsJsonAsync("/api/auth/otp/resend", new { challengeId = "ch_never-issued" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_resend_waits_30_seconds_replaces_the_code_and_stops_after_three()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var first = await Accounts.LatestCodeAsync(app, _client, phone);

        var early = await _client.PostAsJsonAsync("/api/auth/otp/resend", new { challengeId });
        var tooSoon = await HttpAssert.ProblemAsync(early, HttpStatusCode.TooManyRequests);
        Assert.Equal("resend-too-soon", tooSoon.GetProperty("code").GetString());
        Assert.Equal("30", early.Headers.RetryAfter?.ToString());

        string? latest = null;
        for (var resend = 1; resend <= 3; resend++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(30));
            await HttpAssert.JsonAsync(await _client.PostAsJsonAsync("/api/auth/otp/resend", new { challengeId }), HttpStatusCode.Accepted);
            latest = await Accounts.LatestCodeAsync(app, _client, phone);
        }

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var fourth = await HttpAssert.ProblemAsync(await _client.PostAsJsonAsync("/api/auth/otp/resend", new { challengeId }), HttpStatusCode.Conflict);
        Assert.Equal("resend-limit", fourth.GetProperty("code").GetString());

        if (latest != first)
        {
            // The replaced code no longer works; the newest does.
            await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, first), HttpStatusCode.BadRequest);
        }

        await HttpAssert.JsonAsync(await Accounts.VerifyAsync(_client, challengeId, latest!));
    }

    [Fact]
    public async Task A_phone_gets_five_challenges_an_hour_then_429_with_retry_after()
    {
        var phone = Accounts.NewPhone();
        for (var i = 0; i < 5; i++)
        {
            await Accounts.StartAsync(_client, phone);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var sixth = await _client.PostAsJsonAsync("/api/auth/otp", new { phone });
        var problem = await HttpAssert.ProblemAsync(sixth, HttpStatusCode.TooManyRequests);
        Assert.Equal("too-many-challenges", problem.GetProperty("code").GetString());

        // The oldest of the five leaves the hour 55 minutes from now.
        Assert.Equal(TimeSpan.FromMinutes(55), sixth.Headers.RetryAfter?.Delta);
        app.Clock.Advance(TimeSpan.FromMinutes(55));
        await Accounts.StartAsync(_client, phone);
    }

    [Fact]
    public async Task The_code_is_stored_only_as_a_hash_never_in_the_state_outbox_or_queue()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var view = await app.Services.GetRequiredService<LifecycleRegistry>().Find("signin")!.ReadAsync(challengeId, default);
        var queue = app.Services.GetRequiredService<Atlas.Functions.Queues.IQueueClient>();
        var message = Assert.Single(await queue.ReceiveAsync("notifications", 1, TimeSpan.FromSeconds(30), default));
        var queued = message.Text;
        await queue.UpdateVisibilityAsync("notifications", message, TimeSpan.Zero, default);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);

        Assert.DoesNotContain(code, view!.State.GetRawText(), StringComparison.Ordinal);
        Assert.NotNull(queued);
        Assert.DoesNotContain(code, queued, StringComparison.Ordinal);
        var stored = await app.Services.GetRequiredService<ITableStore>()
            .QueryPartitionAsync(LifecycleKeys.Table, LifecycleKeys.Partition("signin", challengeId), null, null, 100, default);
        Assert.All(stored.Rows, r => Assert.All(r.Properties.Values, v => Assert.DoesNotContain(code, v?.ToString() ?? "", StringComparison.Ordinal)));
    }
}
