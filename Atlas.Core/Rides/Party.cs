
namespace Atlas.Core.Rides;

/// <summary>Who did something to a ride or booking: the rider, the driver, or Atlas itself (a timer, a recall).</summary>
public enum Party
{
    Rider,
    Driver,
    System,
}

public static class RideIds
{
    /// <summary>A booking's ride for its n-th round: "rd_" and the booking id's random part, so support can tell
    /// which booking a ride belongs to at a glance.</summary>
    public static string For(string bookingId, int round) =>
        $"rd_{bookingId[(bookingId.IndexOf('_', StringComparison.Ordinal) + 1)..]}-{round}";
}
