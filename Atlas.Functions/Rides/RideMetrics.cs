using System.Diagnostics.Metrics;
using Atlas.Core.Rides;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Rides;

/// <summary>Rides ended, by outcome, counted from the ride's committed changes.</summary>
public sealed class RideMetrics : IStateMetrics<Ride, RideCommand>
{
    private readonly Counter<long> _rides;

    public RideMetrics(IMeterFactory meters) =>
        _rides = meters.Create(AtlasTelemetry.Name).CreateCounter<long>("atlas.rides.ended", "{ride}", "Rides ended, by outcome: completed, cancelled, noshow.");

    public void Changed(Ride before, Ride after, RideCommand command)
    {
        if (after.Status is RideStatus.Completed or RideStatus.Cancelled or RideStatus.NoShow && after.Status != before.Status)
        {
            _rides.Add(1, new KeyValuePair<string, object?>("outcome", after.Status.ToString().ToLowerInvariant()));
        }
    }
}
