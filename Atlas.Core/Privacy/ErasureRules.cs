using Atlas.Core.Common;

namespace Atlas.Core.Privacy;

// Whether an account may be erased now. Erasure keeps rides and the ledger (with the bare user id), so what it must
// not cut short is work under way: a ride the user drives, a booking they wait on, money a driver is still owed.

/// <summary>What the rules look at, each fact read from what owns it.</summary>
/// <param name="IsPlatformAdmin">The phone is one the app's settings make a platform admin.</param>
/// <param name="ActiveRideId">The ride the user drives now (their driver instance's), if any.</param>
/// <param name="OpenBookingIds">The user's own bookings that have not ended (scheduled, bidding, awarding or assigned).</param>
/// <param name="Earnings">A driver's ledger balances, per currency.</param>
public sealed record ErasureFacts(
    bool IsPlatformAdmin, string? ActiveRideId, IReadOnlyList<string> OpenBookingIds, IReadOnlyList<DriverEarnings> Earnings);

/// <param name="Payable">Owed to the driver and not yet paid out (negative: the driver owes it back).</param>
/// <param name="Held">Frozen by open disputes: the driver's until the dispute closes.</param>
public sealed record DriverEarnings(string Currency, long Payable, long Held);

public static class ErasureRules
{
    public static Rejection PlatformAdmin { get; } = new(
        "platform-admin", "This phone is a platform admin by the app's settings (Auth:PlatformAdmins): take it out there first.");

    public static Rejection ActiveRide(string rideId) => new("active-ride", $"You are driving ride {rideId}: finish it before your account can be erased.");

    /// <summary>Null when the account may be erased now; otherwise the first rule that stops it, naming what to do.</summary>
    public static Rejection? Refusal(ErasureFacts facts) => facts switch
    {
        { IsPlatformAdmin: true } => PlatformAdmin,
        { ActiveRideId: { } ride } => ActiveRide(ride),
        { OpenBookingIds: [var booking, ..] } => new(
            "active-booking", $"Booking {booking} has not ended: cancel it or let it finish before your account can be erased."),
        _ when facts.Earnings.FirstOrDefault(e => e.Payable > 0 || e.Held > 0) is { } owed => UnpaidEarnings(owed),
        _ => null,
    };

    private static Rejection UnpaidEarnings(DriverEarnings owed)
    {
        List<string> parts = [];
        if (owed.Payable > 0)
        {
            parts.Add($"{owed.Payable} {owed.Currency} (minor units) not yet paid out");
        }

        if (owed.Held > 0)
        {
            parts.Add($"{owed.Held} {owed.Currency} held by an open dispute");
        }

        return new(
            "unpaid-earnings",
            $"You have {string.Join(" and ", parts)}: your account can be erased once settlement has paid you and disputes have closed.");
    }
}
