using System.Net;
using System.Net.Http.Json;
using Atlas.Demo;
using Atlas.Testing;

namespace Atlas.Tests.Demo;

/// <summary>
/// The demo signs in the one platform admin every run, and a phone may ask for 5 sign-in codes an hour: it keeps the
/// admin's session in a file and refreshes it, signs in by code only when that no longer works, and says which; when
/// the admin is out of codes it says until when.
/// </summary>
public sealed class DemoSessionTests(DemoSessionTests.App app) : IClassFixture<DemoSessionTests.App>
{
    [Fact]
    public async Task A_phone_signed_in_once_is_back_on_later_runs_by_refreshing_the_kept_session_spending_no_code()
    {
        var phone = Person.NewPhone();
        var sessions = app.NewSessionFile();

        var (first, firstHow) = await sessions.SignInAsync(app.Api, phone);
        var (second, secondHow) = await sessions.SignInAsync(app.Api, phone);
        var (third, thirdHow) = await sessions.SignInAsync(app.Api, phone);

        Assert.StartsWith("by a code sent by SMS; its session is kept in ", firstHow, StringComparison.Ordinal);
        Assert.Equal($"with the session kept in {sessions.Path}: no sign-in code spent", secondHow);
        Assert.Equal(secondHow, thirdHow);
        Assert.Equal(1, await app.TextsToAsync(phone));
        Assert.Equal([first.UserId, first.UserId], [second.UserId, third.UserId]);

        // Refresh tokens are single-use: what is kept is always the newest.
        var kept = await File.ReadAllTextAsync(sessions.Path);
        Assert.Contains(third.RefreshToken, kept, StringComparison.Ordinal);
        Assert.DoesNotContain(second.RefreshToken, kept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kept_session_that_no_longer_refreshes_gives_way_to_a_sign_in_by_code_that_says_why()
    {
        var phone = Person.NewPhone();
        var sessions = app.NewSessionFile();
        var (first, _) = await sessions.SignInAsync(app.Api, phone);

        // Someone used the kept refresh token outside the demo: the whole sign-in is ended.
        await Person.RefreshAsync(app.Api, phone, first.RefreshToken);
        var (again, how) = await sessions.SignInAsync(app.Api, phone);

        Assert.Equal(
            $"by a code sent by SMS, as the session kept in {sessions.Path} no longer refreshes (POST /api/auth/refresh answered 401: "
            + "This refresh token was already used, so every session of this sign-in is now ended.); the new one is kept",
            how);
        Assert.Equal(2, await app.TextsToAsync(phone));
        Assert.Equal(first.UserId, (await app.Api.GetAsync("me", again.AccessToken)).GetProperty("id").GetString());
        Assert.Contains(again.RefreshToken, await File.ReadAllTextAsync(sessions.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_admin_out_of_sign_in_codes_stops_the_demo_saying_when_to_try_again()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.Http.PostAsJsonAsync("auth/otp", new { phone = TestSettings.PlatformAdminPhone })).StatusCode);
        }

        var walk = new Walkthrough(app.Api, TextWriter.Null, TestSettings.PlatformAdminPhone, TimeProvider.System, app.NewSessionFile());
        var failure = await Assert.ThrowsAsync<DemoFailure>(walk.RunAsync);

        Assert.Equal(429, failure.Status);
        Assert.Equal(
            "POST /api/auth/otp answered 429: At most 5 sign-in codes an hour can be sent to one phone. Try again in 60 min. "
            + "Or pass --admin-phone with another of the app's Auth__PlatformAdmins.",
            failure.Message);
    }

    [Fact]
    public async Task An_admin_phone_that_is_not_a_platform_admin_stops_the_demo_saying_so()
    {
        var phone = Person.NewPhone();
        var walk = new Walkthrough(app.Api, TextWriter.Null, phone, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<DemoFailure>(walk.RunAsync);

        Assert.Equal($"{phone} signed in as rider, not platformAdmin: pass --admin-phone with one of the app's Auth__PlatformAdmins.", failure.Message);
    }

    [Fact]
    public async Task A_step_the_API_refuses_stops_the_demo_with_the_field_and_the_rule_it_broke()
    {
        var walk = new Walkthrough(app.Api, TextWriter.Null, "not a phone", TimeProvider.System);

        var failure = await Assert.ThrowsAsync<DemoFailure>(walk.RunAsync);

        Assert.Equal(
            "GET /api/dev/sms?phone=not%20a%20phone answered 400: The request is not valid. "
            + "phone: A phone number in E.164 form, such as +447700900123 (spaces and dashes are allowed).",
            failure.Message);
    }

    /// <summary>The app with its triggers on (sign-in texts go out through a queue), and a folder for session files.</summary>
    public sealed class App : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), $"atlas-demo-sessions-{Guid.NewGuid():n}");
        private LocalApp? _app;

        public HttpClient Http { get; private set; } = null!;

        public AtlasApi Api { get; private set; } = null!;

        /// <summary>A file in a folder not made yet, as in a fresh clone's .azurite/.</summary>
        public SessionFile NewSessionFile() => new(Path.Combine(_folder, Guid.NewGuid().ToString("n"), "demo-sessions.json"));

        public async Task<int> TextsToAsync(string phone) =>
            (await Api.GetAsync($"dev/sms?phone={Uri.EscapeDataString(phone)}")).GetProperty("messages").GetArrayLength();

        public async Task InitializeAsync()
        {
            _app = await LocalApp.StartAsync(TestSettings.For(Azurite.NewPrefix()), runTriggers: true);
            Http = new HttpClient { BaseAddress = new Uri(_app.BaseAddress, "api/") };
            Api = new AtlasApi(Http);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
