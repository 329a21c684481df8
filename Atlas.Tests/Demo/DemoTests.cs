using Atlas.Demo;
using Atlas.FakeStripe;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Demo;

/// <summary>
/// <c>./atlas demo</c> walks a live app from sign-in to settlement, over HTTP only: this runs it against the app
/// with its triggers on, so an API change that would break a newcomer's first minutes breaks this first. The demo
/// and the app share a manual clock that runs a second per 20 ms, so the minute of bidding passes in about one; the
/// clock's keeper wakes the deadlines it has passed, as durable timers would.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_goes_from_sign_in_through_bidding_and_the_ride_to_settlement()
    {
        await using var stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        var settings = TestSettings.For(Azurite.NewPrefix());
        settings["Stripe:BaseUrl"] = stripe.BaseUrl.ToString();
        var clock = new ManualClock();
        await using var app = await LocalApp.StartAsync(settings, services: s => s.AddSingleton<TimeProvider>(clock), runTriggers: true);
        stripe.WebhookUrl = new Uri(app.BaseAddress, "api/webhooks/stripe").ToString();
        using var http = new HttpClient(new ContractCheck(() => OpenApiContract.ForAsync(app.BaseAddress, "Development"))) { BaseAddress = new Uri(app.BaseAddress, "api/") };
        var output = new StringWriter();

        await using var durable = app.Host.CreateDurableClient();
        var walk = new Walkthrough(new AtlasApi(http), output, TestSettings.PlatformAdminPhone, clock).RunAsync();
        while (!walk.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await FollowedInstances.FireDueAsync(app.Services, clock.GetUtcNow());
            await Task.Delay(20);
        }

        var cast = await walk;

        var lines = output.ToString();
        Assert.Contains("won; the ride is theirs", lines, StringComparison.Ordinal);
        Assert.Contains("the card was charged", lines, StringComparison.Ordinal);
        Assert.Contains("ledger and Stripe agree", lines, StringComparison.Ordinal);
        Assert.Matches(@"settlement of \d{4}-\d{2}-\d{2}: \w+ \w+ paid", lines);
        Assert.StartsWith("rd_", cast.RideId, StringComparison.Ordinal);
        Assert.Equal("driver", cast.Driver.Role);

        // What it prints to go on with is enough to: the rider's token reads the ride it names.
        var printed = new StringWriter();
        cast.Print(printed);
        Assert.Contains($"export BOOKING={cast.BookingId} RIDE={cast.RideId}", printed.ToString(), StringComparison.Ordinal);
        using var ride = new HttpRequestMessage(HttpMethod.Get, $"rides/{cast.RideId}");
        ride.Headers.Authorization = new("Bearer", cast.Rider.AccessToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(ride)).StatusCode);
    }
}
