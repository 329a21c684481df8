using System.Diagnostics;
using System.Text.Json;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using static Atlas.Tests.Infrastructure.Marketplace;

namespace Atlas.Tests.Lifecycles;

/// <summary>
/// Deadlines on real durable timers, as in Azure: the app and its Stripe on the system clock, the engine's timers
/// firing by themselves in the booking's journey, durations from settings (a 10 s bid window, the shortest allowed; 2 s
/// to set off). Every other test moves a manual clock and fires what it passed beside the flow; these wait on the thing
/// itself, with a deadline.
/// </summary>
public sealed class DurableTimerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly AtlasAppFactory _app = new(
        new Dictionary<string, string?>
        {
            ["Bookings:BidWindow"] = "00:00:10",
            ["Rides:SetOffWithin"] = "00:00:02",
        },
        durableTimers: true);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_window_closes_on_its_timer_and_a_driver_who_never_sets_off_loses_the_ride_on_the_next()
    {
        var rider = await Accounts.SignInAsync(_app);
        var company = await TestCompany.CreateAsync(_app);
        await ReadyAsync(company.Driver, company.VehicleId);
        var booking = await BookAsync(_app, rider);
        var bookingId = booking.GetProperty("id").GetString()!;
        var closesAt = booking.GetProperty("bidding").GetProperty("closesAt").GetDateTimeOffset();
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)));

        var assigned = await UntilAsync(() => GetBookingAsync(rider, bookingId), b => b.GetProperty("status").GetString() == "assigned");
        Assert.True(DateTimeOffset.UtcNow >= closesAt, "the window closed before its deadline");
        var rideId = assigned.GetProperty("assignment").GetProperty("rideId").GetString()!;

        var ride = await UntilAsync(() => GetRideAsync(rider, rideId), r => r.GetProperty("status").GetString() == "cancelled");
        Assert.Equal("driver-did-not-set-off", ride.GetProperty("ending").GetProperty("reason").GetString());

        // One journey kept both timers and fired each on its own (nobody moved a clock or woke it): it knows the window
        // closed and the ride ended, and no deadline flow of before was started.
        var waited = Stopwatch.StartNew();
        OrchestrationMetadata journey;
        IReadOnlyDictionary<string, HeardView> heard;
        do
        {
            // The firing's outcome reaches the journey an episode after its activity.
            await _app.PumpAsync();
            journey = (await _app.Durable.GetInstanceAsync(BookingJourney.InstanceId(bookingId), getInputsAndOutputs: true))!;
            heard = FlowStatus.Read(journey.SerializedCustomStatus)?.Heard ?? new Dictionary<string, HeardView>();
        }
        while (heard.GetValueOrDefault(FlowFact.KeyOf("ride", rideId)) is not { Over: true } && waited.Elapsed < Patience);

        Assert.Equal(BookingJourney.Name, journey.Name);
        Assert.True(heard[FlowFact.KeyOf("ride", rideId)].Over);
        Assert.NotEqual(closesAt, heard[FlowFact.KeyOf("booking", bookingId)].Deadline);
    }

    /// <summary>Runs the queue triggers (the host's polling is off in tests) and reads, until the condition holds.</summary>
    private async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await _app.PumpAsync();
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (waited.Elapsed > Patience)
            {
                var flows = new List<string>();
                await foreach (var flow in _app.Durable.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = BookingJourney.InstancePrefix, FetchInputsAndOutputs = true }))
                {
                    flows.Add($"{flow.InstanceId} {flow.RuntimeStatus} {flow.LastUpdatedAt:O} {flow.SerializedCustomStatus} {flow.FailureDetails?.ErrorMessage}");
                }

                Assert.Fail($"Still waiting after {Patience}: {value}\nflows at {DateTimeOffset.UtcNow:O}:\n{string.Join("\n", flows)}\nhost:\n{string.Join("\n", _app.HostLog.Split("\n").Where(l => !l.Contains("GetBooking") && !l.Contains("GetRide")).TakeLast(60))}");
            }

            await Task.Delay(50);
        }
    }
}
