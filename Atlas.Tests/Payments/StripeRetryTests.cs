using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Core.Payments;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Atlas.Tests.Payments;

/// <summary>Each Stripe call is retried in one declared place (docs/retries.md), counted at the fake Stripe: a
/// journey's step by its Durable retry alone, a request someone waits on by the client's pipeline alone.</summary>
public sealed class StripeRetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_journeys_Stripe_step_Stripe_keeps_failing_sends_one_request_per_Durable_try_then_parks()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["Stripe:StepMaxAttempts"] = "3",
            ["Stripe:StepRetryDelay"] = "00:00:00.050",
            ["Stripe:StepMaxRetryDelay"] = "00:00:00.100",
        });
        app.Stripe.Inject(503, count: 100, path: "/v1/payment_intents");
        var rideId = $"rd_retry{Guid.NewGuid():N}-1";
        var effectId = $"escrow:{rideId}:1:0";
        var authorise = new AuthorisePayment(1, 1_100, "GBP", "cus_retry", "pm_card_visa", "bk_retry", rideId);
        var step = new EffectEnvelope(effectId, "payment.authorise", "escrow", rideId, JsonSerializer.SerializeToElement(authorise, LifecycleJson.Options));

        // A journey that has only this step to make, with the settings' retry as a journey started by a commit keeps it.
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(
            BookingJourney.Name,
            new BookingJourney.Input(new FlowFact("escrow", rideId, 1, null, true, [step], AfterOver: true), Settings: BookingJourney.Settings(app.Services)),
            new StartOrchestrationOptions(BookingJourney.InstanceId(rideId)));
        await UntilAsync(app, () => app.HostLog.Contains($"Stripe step {effectId} failed a round of retries", StringComparison.Ordinal));

        // Three tries of the activity, one request each, all with the step's key: not 3 × the client's own tries.
        var sent = app.Stripe.Requests.Where(r => r.Path == "/v1/payment_intents").ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.Equal(effectId, r.IdempotencyKey));
        Assert.Equal(3, Lines(app.HostLog, $"Executed 'Functions.{FlowActivities.TakeStep}' (Failed"));
    }

    [Fact]
    public async Task A_card_saved_while_Stripe_fails_is_tried_the_declared_number_of_times_within_the_request()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Stripe:MaxAttempts"] = "3" });
        var rider = await Accounts.SignInAsync(app, withCard: false);
        app.Stripe.Inject(503, count: 10, path: "/v1/customers");

        var response = await rider.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethodId = "pm_card_visa" });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var sent = app.Stripe.Requests.Where(r => r.Path == "/v1/customers").ToList();
        Assert.Equal(3, sent.Count);
        Assert.Single(sent.Select(r => r.IdempotencyKey).Distinct());
    }

    private static int Lines(string log, string text) => log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    private static async Task UntilAsync(AtlasAppFactory app, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!done())
        {
            if (DateTime.UtcNow >= deadline)
            {
                var log = app.HostLog;
                Assert.Fail($"Not done after {Patience}:\n{log[^Math.Min(log.Length, 6000)..]}");
            }
            await Task.Delay(50);
        }
    }
}
