using System.Diagnostics;
using System.Net;
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
            await _client.PostAsync("/api/auth/otp", RawJson.Of("")), HttpStatusCode.BadRequest);
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
