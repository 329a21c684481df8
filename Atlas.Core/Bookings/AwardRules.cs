using Atlas.Core.Common;
using Atlas.Core.Rides;

namespace Atlas.Core.Bookings;

// Carrying out an award (AwardRide) spans three lifecycles: the winner's company says whether they still drive, the
// winner's own instance decides whether they are free (so two bookings closing at once cannot both get one driver),
// and the ride is created. These are the rules between those steps; the steps themselves are the caller's.

/// <summary>What the award knows of its winner when it is carried out.</summary>
/// <param name="Available">The driver is still in their company and marked available.</param>
/// <param name="Holds">The ride the driver's instance holds now (only asked for when the driver is not available).</param>
public sealed record WinnerFacts(bool Available, string? Holds);

public static class AwardRules
{
    /// <summary>The answer that passes the winner over (the booking offers the next bid), or null when the winner goes on to
    /// be reserved: a driver who has gone unavailable since bidding (or left the company) is passed over, unless this
    /// is a redelivery of an award already made (the driver holds this very ride), which goes on whatever the driver's
    /// availability now, so a retry never undoes a ride.</summary>
    public static DriverUnavailable? PassOver(AwardRide award, WinnerFacts winner) =>
        !winner.Available && winner.Holds != award.RideId ? Unavailable(award) : null;

    /// <summary>The answer to the winner's instance refusing the ride (it holds another, or the driver is erased): the
    /// booking offers the next bid. Null when it took the ride (or already held it), and the ride is created.</summary>
    public static DriverUnavailable? AfterReservation(AwardRide award, Rejection? refused) =>
        refused is null ? null : Unavailable(award);

    /// <summary>The ride the award creates, keyed by the round's ride id, with the start code the rider will show.</summary>
    public static CreateRide NewRide(AwardRide award, string bookingId, string startCode) => new(new RideTerms(
        award.RideId,
        bookingId,
        award.RiderId,
        award.Winner.DriverId,
        award.Winner.DriverUserId,
        award.Winner.CompanyId,
        award.Trip,
        award.Winner.Amount,
        award.Currency,
        startCode));

    /// <summary>The booking's answer once the ride exists.</summary>
    public static DriverReserved Reserved(AwardRide award) => new(award.RideId, award.Winner.DriverId);

    private static DriverUnavailable Unavailable(AwardRide award) => new(award.RideId, award.Winner.DriverId);
}
