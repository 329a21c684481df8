using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Functions.Queues;
using Atlas.Functions.Webhooks;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.Playwright;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;
using static Atlas.Tests.Infrastructure.StripeWebhooks;

namespace Atlas.Tests.OpsConsole;

/// <summary>
/// A platform admin's repairs from the console: a Stripe event poisoned by an outage is replayed from the poison
/// queue, one Atlas could not apply is replayed from Stripe, each ends applied once, and the audit log shows who did
/// it and what the app answered.
/// </summary>
public sealed class ConsoleReplayTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_poisoned_message_and_a_failed_stripe_event_replayed_from_the_page_end_applied_once_and_audited()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["Stripe:EventRetryDelay"] = "00:00:01",
            ["Stripe:EventMaxAttempts"] = "2",
        });
        var queues = app.Services.GetRequiredService<IQueueClient>();

        // An outage at Stripe while its event was applied: the event ends in the poison queue.
        var (poisonedRider, poisonedRide, authorised) = await AuthenticatedNotDeliveredAsync(app);
        app.Stripe.Inject(503, count: 100, path: "/v1/payment_intents");
        await HttpAssert.JsonAsync(await PostSignedAsync(app, authorised));
        await WaitUntilAsync(app, async () => await queues.ApproximateCountAsync(StripeEventQueue.PoisonQueue, default) == 1);
        app.Stripe.ClearFaults();

        // An event that arrived without what Atlas needs: recorded as failed, with its reason.
        var (failedRider, failedRide, second) = await AuthenticatedNotDeliveredAsync(app);
        var tampered = JsonNode.Parse(second)!.AsObject();
        tampered["data"]!["object"]!.AsObject().Remove("status");
        var failedId = tampered["id"]!.GetValue<string>();
        await HttpAssert.JsonAsync(await PostSignedAsync(app, tampered.ToJsonString()));
        await app.DrainAsync();
        Assert.Equal("actionRequired", (await PaymentAsync(poisonedRider, poisonedRide)).GetProperty("status").GetString());
        Assert.Equal("actionRequired", (await PaymentAsync(failedRider, failedRide)).GetProperty("status").GetString());
        var page = await browser.NewPageAsync();
        await ConsolePages.SignInAsync(page, app, TestSettings.PlatformAdminPhone);

        await ConsolePages.GoAsync(page, "#/poison", "Poison queues");
        var poisoned = page.GetByRole(AriaRole.Table, new() { Name = "Poisoned messages of stripe-events" });
        await poisoned.WaitForAsync();
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "poison");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await poisoned.GetByRole(AriaRole.Button, new() { NameRegex = new("^Replay ") }).ClickAsync();
        await ConsolePages.SeesAsync(page, "put back on its queue.");
        await WaitUntilAsync(app, async () => (await PaymentAsync(poisonedRider, poisonedRide)).GetProperty("status").GetString() == "authorised");

        await ConsolePages.GoAsync(page, "#/stripe-events", "Stripe events");
        var failed = page.GetByRole(AriaRole.Row).Filter(new() { HasText = failedId });
        await failed.WaitForAsync();
        Assert.Contains("status", await failed.InnerTextAsync(), StringComparison.Ordinal);
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "stripe-events");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await failed.GetByRole(AriaRole.Button, new() { Name = $"Replay {failedId}" }).ClickAsync();
        await ConsolePages.SeesAsync(page, $"{failedId} replayed: it will be applied as Stripe has it now.");
        await WaitUntilAsync(app, async () => (await PaymentAsync(failedRider, failedRide)).GetProperty("status").GetString() == "authorised");

        // Each once: nothing is left to replay, the events are applied, and a second replay is refused.
        var admin = await Accounts.PlatformAdminAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await admin.Client.PostAsync($"/api/ops/stripe-events/{failedId}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("applied", (await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/ops/stripe-events/{failedId}"))).GetProperty("status").GetString());
        Assert.Empty((await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events"))).GetProperty("items").EnumerateArray());
        await AssertNothingPoisonedAsync(app);
        Assert.Single(IntentsOf(app, poisonedRide));
        Assert.Single(IntentsOf(app, failedRide));

        await ConsolePages.GoAsync(page, "#/audit", "Audit log");
        var audit = page.GetByRole(AriaRole.Table, new() { Name = "Admin actions, newest first" });
        await audit.GetByText("stripe-event.replay").First.WaitForAsync();
        var text = await audit.InnerTextAsync();
        Assert.Contains("poison.replay", text, StringComparison.Ordinal);
        Assert.Contains(TestSettings.PlatformAdminPhone, text, StringComparison.Ordinal);
        var entries = (await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/audit?limit=3"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["stripe-event.replay", "stripe-event.replay", "poison.replay"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([409, 202, 200], entries.Select(e => e.GetProperty("status").GetInt32()));
        await ConsolePages.AssertAccessibleAsync(page);
        await ConsolePages.ScreenshotAsync(page, "audit");
    }

    /// <summary>A ride whose rider passed 3-D Secure at Stripe; its authorisation event is not delivered yet.</summary>
    private static async Task<(SignedIn Rider, string RideId, string Authorised)> AuthenticatedNotDeliveredAsync(AtlasAppFactory app)
    {
        var rider = await Accounts.SignInAsync(app);
        await Accounts.AddCardAsync(rider, "pm_card_authenticationRequired");
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await WithoutDeliveryAsync(app, () => AssignedRideAsync(app, rider, company));
        var intent = IntentsOf(app, rideId)[0];
        await WithoutDeliveryAsync(app, () => app.Stripe.State.AuthenticateAsync((string)intent["id"]!, succeed: true));
        return (rider, rideId, EventFor(app, intent, "payment_intent.amount_capturable_updated"));
    }

    /// <summary>Runs the queue functions until the condition holds (a retried event waits out its delay on the queue).</summary>
    private static async Task WaitUntilAsync(AtlasAppFactory app, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            if (await app.PumpAsync() + await app.SettleFlowsAsync() == 0)
            {
                await Task.Delay(50);
            }
        }
    }
}
