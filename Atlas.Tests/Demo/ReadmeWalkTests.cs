using System.Net;
using System.Net.Http.Json;
using Atlas.Demo;
using Atlas.FakeStripe;
using Atlas.Testing;

namespace Atlas.Tests.Demo;

/// <summary>
/// The README's walk, run with bash and curl as it is written, against the app as <c>./atlas run</c> serves it: triggers
/// on, deadlines on durable timers, the system clock (a 10 s bid window, the shortest there is, stands for the minute).
/// It must run again as written, and say what stopped it.
/// </summary>
public sealed class ReadmeWalkTests(ReadmeWalkTests.App app) : IClassFixture<ReadmeWalkTests.App>
{
    [Fact]
    public async Task The_walk_runs_twice_in_a_row_as_written_and_prints_what_the_README_shows()
    {
        var walk = ReadmeWalk.Read();
        Assert.Contains($"signin {TestSettings.PlatformAdminPhone} ", walk.Script, StringComparison.Ordinal);

        // The second run finds the first one's company, people and settlement line: it makes its own and reads its own.
        walk.AssertPrintedAsTheReadmeSays(await walk.RunAsync(app.Api));
        walk.AssertPrintedAsTheReadmeSays(await walk.RunAsync(app.Api));
    }

    [Fact]
    public async Task A_step_the_API_refuses_stops_the_walk_with_the_APIs_problem_and_when_to_try_again()
    {
        var walk = ReadmeWalk.Read();

        // The walk's platform admin has asked for all the sign-in codes an hour allows (another phone, so the other test
        // can still sign the admin in).
        var admin = Person.NewPhone();
        using var http = new HttpClient { BaseAddress = app.Api };
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("auth/otp", new { phone = admin })).StatusCode);
        }

        var run = await walk.RunAsync(app.Api, script => script.Replace($"signin {TestSettings.PlatformAdminPhone} ", $"signin {admin} ", StringComparison.Ordinal));

        // The rider's steps before it ran; nothing after it did.
        Assert.NotEqual(0, run.ExitCode);
        Assert.True(ReadmeWalk.Shows(walk.Expected[0], Assert.Single(run.Output)), string.Join('\n', run.Output));
        Assert.Equal(
            "POST /auth/otp → 429: Too many requests. At most 5 sign-in codes an hour can be sent to one phone. Try again in 60 min.",
            run.Errors.Trim());
    }

    /// <summary>One app for both: the fake Stripe and the app on the system clock, durable timers, triggers running.</summary>
    public sealed class App : IAsyncLifetime
    {
        private FakeStripeServer? _stripe;
        private LocalApp? _app;

        public Uri Api => new(_app!.BaseAddress, "api/");

        public async Task InitializeAsync()
        {
            _stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions());
            var settings = TestSettings.For(Azurite.NewPrefix());
            settings["Stripe:BaseUrl"] = _stripe.BaseUrl.ToString();
            settings["Bookings:BidWindow"] = "00:00:10";
            _app = await LocalApp.StartAsync(settings, runTriggers: true);
            _stripe.WebhookUrl = new Uri(_app.BaseAddress, "api/webhooks/stripe").ToString();
        }

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            if (_stripe is not null)
            {
                await _stripe.DisposeAsync();
            }
        }
    }
}
