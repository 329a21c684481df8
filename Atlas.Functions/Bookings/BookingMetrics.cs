using System.Diagnostics.Metrics;
using Atlas.Core.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Bookings;

/// <summary>Bookings opened and bids placed, counted from the booking's committed changes.</summary>
public sealed class BookingMetrics : IStateMetrics<Booking, BookingCommand>
{
    private readonly Counter<long> _bookings;
    private readonly Counter<long> _bids;

    public BookingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AtlasTelemetry.Name);
        _bookings = meter.CreateCounter<long>("atlas.bookings.created", "{booking}", "Bookings opened.");
        _bids = meter.CreateCounter<long>("atlas.bids", "{bid}", "Bids placed (a changed bid counts again).");
    }

    public void Changed(Booking before, Booking after, BookingCommand command)
    {
        switch (before, command)
        {
            case ({ Status: BookingStatus.None }, OpenBooking):
                _bookings.Add(1);
                break;
            case (_, PlaceBid):
                _bids.Add(1);
                break;
        }
    }
}
