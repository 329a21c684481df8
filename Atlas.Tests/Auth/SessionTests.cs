using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Auth;

/// <summary>Refresh tokens rotate; a used one shown again ends the whole family; logout ends it too.</summary>
public sealed class SessionTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private readonly HttpClient _client = app.CreateClient();

    private Task<HttpResponseMessage> Refresh(string refreshToken) =>
        _client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_issues_a_working_access_token()
    {
        var signedIn = await Accounts.SignInAsync(app);

        var refreshed = Accounts.Read(app, await HttpAssert.JsonAsync(await Refresh(signedIn.RefreshToken)));

        Assert.NotEqual(signedIn.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(signedIn.UserId, refreshed.UserId);
        var me = await HttpAssert.JsonAsync(await refreshed.Client.GetAsync("/api/me"));
        Assert.Equal(signedIn.UserId, me.GetProperty("id").GetString());
        await HttpAssert.JsonAsync(await Refresh(refreshed.RefreshToken));
    }

    [Fact]
    public async Task Refreshing_works_with_an_expired_access_token_still_attached()
    {
        var signedIn = await Accounts.SignInAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(20));

        var response = await signedIn.Client.PostAsJsonAsync("/api/auth/refresh", new { signedIn.RefreshToken });

        await HttpAssert.JsonAsync(response);
    }

    [Fact]
    public async Task A_used_refresh_token_shown_again_revokes_every_session_of_that_sign_in()
    {
        var signedIn = await Accounts.SignInAsync(app);
        var second = Accounts.Read(app, await HttpAssert.JsonAsync(await Refresh(signedIn.RefreshToken)));
        var third = Accounts.Read(app, await HttpAssert.JsonAsync(await Refresh(second.RefreshToken)));

        var replay = await HttpAssert.ProblemAsync(await Refresh(signedIn.RefreshToken), HttpStatusCode.Unauthorized);
        Assert.Equal("refresh-token-reused", replay.GetProperty("code").GetString());

        // The newest token of the family, never used, is dead too.
        var newest = await HttpAssert.ProblemAsync(await Refresh(third.RefreshToken), HttpStatusCode.Unauthorized);
        Assert.Equal("session-revoked", newest.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Another_sign_in_of_the_same_user_is_a_separate_family_and_survives()
    {
        var first = await Accounts.SignInAsync(app);
        var other = await Accounts.SignInAsync(app, first.Phone);
        await Refresh(first.RefreshToken);
        await Refresh(first.RefreshToken);

        await HttpAssert.JsonAsync(await Refresh(other.RefreshToken));
    }

    [Fact]
    public async Task Logout_revokes_the_family_and_is_idempotent()
    {
        var signedIn = await Accounts.SignInAsync(app);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync("/api/auth/logout", new { signedIn.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync("/api/auth/logout", new { signedIn.RefreshToken })).StatusCode);

        var problem = await HttpAssert.ProblemAsync(await Refresh(signedIn.RefreshToken), HttpStatusCode.Unauthorized);
        Assert.Equal("session-revoked", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_session_idle_for_seven_days_expires()
    {
        var signedIn = await Accounts.SignInAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(7));

        var problem = await HttpAssert.ProblemAsync(await Refresh(signedIn.RefreshToken), HttpStatusCode.Unauthorized);

        Assert.Equal("session-expired", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_session_ends_30_days_after_sign_in_however_often_it_is_refreshed()
    {
        var current = await Accounts.SignInAsync(app);
        for (var day = 6; day < 30; day += 6)
        {
            app.Clock.Advance(TimeSpan.FromDays(6));
            current = Accounts.Read(app, await HttpAssert.JsonAsync(await Refresh(current.RefreshToken)));
        }

        app.Clock.Advance(TimeSpan.FromDays(6));
        var problem = await HttpAssert.ProblemAsync(await Refresh(current.RefreshToken), HttpStatusCode.Unauthorized);

        Assert.Equal("session-expired", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("ses_x.1.short")]
    [InlineData("ses_x.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_refresh_token_is_400(string refreshToken)
    {
        await HttpAssert.ValidationProblemAsync(await Refresh(refreshToken), "refreshToken");
    }

    [Fact]
    public async Task A_forged_secret_for_a_real_session_is_401_and_leaves_the_session_alone()
    {
        var signedIn = await Accounts.SignInAsync(app);
        var parts = signedIn.RefreshToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', 43)}";

        var problem = await HttpAssert.ProblemAsync(await Refresh(forged), HttpStatusCode.Unauthorized);

        Assert.Equal("invalid-refresh-token", problem.GetProperty("code").GetString());
        await HttpAssert.JsonAsync(await Refresh(signedIn.RefreshToken));
    }

    [Fact]
    public async Task Me_shows_the_caller_and_needs_a_token()
    {
        var signedIn = await Accounts.SignInAsync(app);

        var me = await HttpAssert.JsonAsync(await signedIn.Client.GetAsync("/api/me"));

        Assert.Equal(signedIn.Phone, me.GetProperty("phone").GetString());
        Assert.Equal("rider", me.GetProperty("role").GetString());
        var anonymous = await _client.GetAsync("/api/me");
        await HttpAssert.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
    }
}
