using System.Text.Json;
using Atlas.Core.Payments;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Payments;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Lifecycles;

/// <summary>
/// A deployment of the journey finds flows of before still running, and their queues' messages still waiting: the
/// <c>DeadlineV1</c> and <c>StripeStepV1</c> orchestrators and their queue functions stay registered, and finish as they
/// began (docs/lifecycles.md, "Draining the flows of before").
/// </summary>
public sealed class DrainingFlowTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task A_deadline_of_before_left_on_its_queue_still_fires_into_the_decider()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        var closesAt = booking.GetProperty("bidding").GetProperty("closesAt").GetDateTimeOffset();
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)));
        await app.DrainAsync();

        // The booking's journey is stopped (as if it had never started), so only the deadline flow of before can close
        // the window; its arm entry waits on the old queue, as one relayed before the deployment would.
        await app.Durable.TerminateInstanceAsync(BookingJourney.InstanceId(bookingId));
        await app.Durable.WaitForInstanceCompletionAsync(BookingJourney.InstanceId(bookingId));
        app.Clock.Advance(closesAt - app.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        var arm = DeadlineFlow.ArmEntry("booking", bookingId, $"booking:{bookingId}:1:9", closesAt);
        await SendAsync(DeadlineFlow.Queue, arm);
        await app.PumpAsync();

        var flow = await app.Durable.WaitForInstanceCompletionAsync(DeadlineFlow.InstanceId("booking", bookingId, closesAt), getInputsAndOutputs: true);
        Assert.Equal((DeadlineFlow.Name, OrchestrationRuntimeStatus.Completed), (flow.Name, flow.RuntimeStatus));
        Assert.Equal("awarding", (await GetBookingAsync(rider, bookingId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_stripe_step_of_before_left_on_its_queue_still_makes_its_call_once_by_its_key()
    {
        var rider = await Accounts.SignInAsync(app);
        var company = await TestCompany.CreateAsync(app);
        var (_, rideId) = await AssignedRideAsync(app, rider, company);
        var intentId = (string)IntentsOf(app, rideId)[0]["id"]!;

        var effectId = $"escrow:{rideId}:99:0";
        var step = new EffectEnvelope(
            effectId, "payment.cancel", "escrow", rideId, JsonSerializer.SerializeToElement(new CancelPayment(intentId), LifecycleJson.Options));
        await SendAsync(StripeSteps.Queue, step);
        await SendAsync(StripeSteps.Queue, step);
        await app.PumpAsync();

        var flow = await app.Durable.WaitForInstanceCompletionAsync(StripeSteps.InstanceId(effectId), getInputsAndOutputs: true);
        Assert.Equal((StripeSteps.Name, OrchestrationRuntimeStatus.Completed), (flow.Name, flow.RuntimeStatus));
        var cancels = app.Stripe.Requests.Where(r => r.Path == $"/v1/payment_intents/{intentId}/cancel").ToList();
        Assert.Equal([effectId], cancels.Select(r => r.IdempotencyKey).Distinct());
        Assert.Equal("canceled", (string)IntentsOf(app, rideId)[0]["status"]!);
    }

    [Fact]
    public async Task A_journey_begun_as_V1_hears_its_news_and_ends_as_V1()
    {
        var rider = await Accounts.SignInAsync(app);
        var booking = await BookAsync(app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        var closesAt = booking.GetProperty("bidding").GetProperty("closesAt").GetDateTimeOffset();
        await app.DrainAsync();

        // In the journey's place, the V1 a deployment of before would have left running, knowing the booking's opening.
        var journeyId = BookingJourney.InstanceId(bookingId);
        await app.Durable.TerminateInstanceAsync(journeyId);
        await app.Durable.WaitForInstanceCompletionAsync(journeyId);
        await app.Durable.ScheduleNewOrchestrationInstanceAsync(
            BookingJourney.DrainingV1, new BookingJourney.Input(new FlowFact("booking", bookingId, 1, closesAt, false, [])), new StartOrchestrationOptions(journeyId));
        await app.Durable.WaitForInstanceStartAsync(journeyId);
        await HttpAssert.JsonAsync(await rider.Client.PostAsJsonAsync($"/api/bookings/{bookingId}/cancel", new { reason = "changedPlans" }));
        await app.PumpAsync();

        var flow = await app.Durable.WaitForInstanceCompletionAsync(journeyId);
        Assert.Equal((BookingJourney.DrainingV1, OrchestrationRuntimeStatus.Completed), (flow.Name, flow.RuntimeStatus));
    }

    private Task SendAsync(string queue, EffectEnvelope envelope) =>
        app.Services.GetRequiredService<IQueueClient>().SendAsync(queue, JsonSerializer.Serialize(envelope, LifecycleJson.Options), TimeSpan.Zero, CancellationToken.None);
}
