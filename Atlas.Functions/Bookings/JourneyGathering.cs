using Atlas.Core.Bookings;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Bookings;

/// <summary>
/// What a journey that did not begin with its booking's opening knows nothing of: started again after it failed or was
/// stopped, or by a ride's news that overtook the booking's. One activity reads the booking, each round's ride and its
/// escrow as they stand, so the journey waits on every deadline there is, not only on the one that started it.
/// </summary>
public static class JourneyGathering
{
    public const string Activity = "GatherJourney";

    [Function(Activity)]
    public static async Task<IReadOnlyList<FlowFact>> GatherAsync([ActivityTrigger] string bookingId, LifecycleRegistry lifecycles, CancellationToken ct)
    {
        var facts = new List<FlowFact>();
        if (await lifecycles.Find(BookingDecider.Name)!.FactAsync(bookingId, ct) is not { } booking)
        {
            return facts;
        }

        facts.Add(booking);
        var (state, _) = await ((Lifecycle<Booking, BookingCommand>)lifecycles.Find(BookingDecider.Name)!).GetAsync(bookingId, ct, cachedIsEnough: true);
        for (var round = 1; round <= state.Round; round++)
        {
            var rideId = RideIds.For(bookingId, round);
            foreach (var lifecycle in new[] { RideDecider.Name, EscrowDecider.Name })
            {
                if (await lifecycles.Find(lifecycle)!.FactAsync(rideId, ct) is { } fact)
                {
                    facts.Add(fact);
                }
            }
        }

        return facts;
    }

    /// <summary>The booking a journey follows, from its instance id (<c>journey-{the booking id's random part}</c>).</summary>
    public static string BookingOf(string journeyId) => "bk_" + journeyId[BookingJourney.InstancePrefix.Length..];
}
