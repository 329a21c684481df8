using System.Diagnostics;
using System.Net;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Auth;

/// <summary>Phone sign-in through real HTTP: challenge, SMS through the notifications queue, verify.</summary>
public sealed class SignInTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_new_phone_signs_in_with_the_texted_code_and_becomes_a_rider()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);

        var session = await HttpAssert.JsonAsync(await Accounts.VerifyAsync(_client, challengeId, code));

        Assert.Equal("Bearer", session.GetProperty("tokenType").GetString());
        Assert.Equal(900, session.GetProperty("expiresIn").GetInt32());
        Assert.Equal(phone, session.GetProperty("user").GetProperty("phone").GetString());
        Assert.Equal("rider", session.GetProperty("user").GetProperty("role").GetString());
        Assert.StartsWith("usr_", session.GetProperty("user").GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_again_gives_the_same_user()
    {
        var first = await Accounts.SignInAsync(app);
        var second = await Accounts.SignInAsync(app, first.Phone);

        Assert.Equal(first.UserId, second.UserId);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
    }

    [Theory]
    [InlineData("+44 7700-900 123", "+447700900123")]
    [InlineData(" +1 555 010 9999 ", "+15550109999")]
    public async Task Spaces_and_dashes_are_normalised_away(string typed, string normalised)
    {
        await Accounts.StartAsync(_client, typed);

        await app.PumpAsync();
        var inbox = await HttpAssert.JsonAsync(await _client.GetAsync($"/api/dev/sms?phone={Uri.EscapeDataString(normalised)}"));
        Assert.Equal(normalised, inbox.GetProperty("messages")[0].GetProperty("to").GetString());
    }

    [Theory]
    [InlineData("07700900123")]
    [InlineData("+0447700900123")]
    [InlineData("+44 (7700) 900123")]
    [InlineData("+44abc")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    [InlineData("")]
    public async Task Anything_but_E164_is_a_400_naming_phone(string phone)
    {
        var response = await _client.PostAsJsonAsync("/api/auth/otp", new { phone });

        await HttpAssert.ValidationProblemAsync(response, "phone");
    }

    [Fact]
    public async Task Ugly_bodies_are_400s_naming_the_field()
    {
        await HttpAssert.ValidationProblemAsync(await _client.PostAsJsonAsync("/api/auth/otp", new { phone = 447700900123 }), "phone");
        await HttpAssert.ValidationProblemAsync(await _client.PostAsJsonAsync("/api/auth/otp", new { phone = new string('1', 60_000) }), "phone");
        await HttpAssert.ValidationProblemAsync(await _client.PostAsJsonAsync("/api/auth/otp", new { phone = "+447700900123", role = "platformAdmin" }), "role");
        await HttpAssert.ValidationProblemAsync(await _client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId = "ch_x", code = "12345" }), "code");
        await HttpAssert.ValidationProblemAsync(await _client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId = "../x", code = "123456" }), "challengeId");
        await HttpAssert.ProblemAsync(
            await _client.PostAsync("/api/auth/otp", new StringContent("", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413_problem()
    {
        var huge = new StringContent($"{{\"phone\":\"{new string('1', 100_000)}\"}}", System.Text.Encoding.UTF8, "application/json");

        await HttpAssert.ProblemAsync(await _client.PostAsync("/api/auth/otp", huge), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_answer_is_the_same_whether_or_not_the_phone_has_an_account()
    {
        var known = await Accounts.SignInAsync(app);
        var unknown = Accounts.NewPhone();

        var forKnown = await _client.PostAsJsonAsync("/api/auth/otp", new { phone = known.Phone });
        var forUnknown = await _client.PostAsJsonAsync("/api/auth/otp", new { phone = unknown });

        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(Shape(await forKnown.Content.ReadAsStringAsync()), Shape(await forUnknown.Content.ReadAsStringAsync()));

        // Timing: the median of a few starts each, within a generous margin (nothing is looked up for either).
        var knownMs = await MedianStartMs(known.Phone);
        var unknownMs = await MedianStartMs(Accounts.NewPhone());
        Assert.True(Math.Abs(knownMs - unknownMs) < 50, $"known {knownMs} ms, unknown {unknownMs} ms");
    }

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
    public async Task The_expiry_timer_moves_the_challenge_to_expired_after_five_minutes()
    {
        var phone = Accounts.NewPhone();
        var challengeId = await Accounts.StartAsync(_client, phone);
        var code = await Accounts.LatestCodeAsync(app, _client, phone);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await Triggers.ScanAsync(app.Services);

        var (state, _) = await app.Services.GetRequiredService<Lifecycle<Atlas.Core.Auth.Challenge, Atlas.Core.Auth.ChallengeCommand>>()
            .GetAsync(challengeId, default);
        Assert.IsType<Atlas.Core.Auth.ExpiredChallenge>(state);
        var late = await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(_client, challengeId, code), HttpStatusCode.Conflict);
        Assert.Equal("challenge-expired", late.GetProperty("code").GetString());
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

    private static string Shape(string json) =>
        string.Join(",", System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}"));

    private async Task<double> MedianStartMs(string phone)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await _client.PostAsJsonAsync("/api/auth/otp", new { phone });
            times.Add(watch.Elapsed.TotalMilliseconds);
            app.Clock.Advance(TimeSpan.FromMinutes(21));
        }

        return times.Order().ElementAt(1);
    }
}
