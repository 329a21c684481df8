using Atlas.Core.Bookings;
using Atlas.Core.Common;

namespace Atlas.Core.Rides;

// A ride, from the moment its driver is assigned to its end. Its timers: the driver must set off within a few
// minutes of the assignment (else the booking goes back to bidding), and after arriving the driver waits a few
// minutes before a no-show can be marked. Starting needs the code the rider's app shows.

public enum RideStatus
{
    None,
    Assigned,
    DriverEnRoute,
    Arrived,
    InProgress,
    Completed,
    Cancelled,
    NoShow,
}

/// <summary>Who rides with whom, where, and for how much: fixed when the ride is created.</summary>
public sealed record RideTerms(
    string RideId,
    string BookingId, string RiderId, string DriverId, string DriverUserId, string CompanyId, Trip Trip, long Price, string Currency, string StartCode);

public sealed record Located(GeoPoint Point, DateTimeOffset At);

public sealed record Rating(int Stars, string? Comment, DateTimeOffset At);

/// <param name="StartAttemptsFailed">Wrong start codes since the last unlock; at the limit starting is locked.</param>
/// <param name="WaitOver">The rider's time to come out has run out: the driver may mark a no-show.</param>
/// <param name="RiderRating">The rider's rating of the driver.</param>
/// <param name="DriverRating">The driver's rating of the rider.</param>
public sealed record Ride(
    RideStatus Status,
    RideTerms? Terms,
    DateTimeOffset? AssignedAt,
    DateTimeOffset? DepartedAt,
    DateTimeOffset? ArrivedAt,
    DateTimeOffset? StartedAt,
    int StartAttemptsFailed,
    bool WaitOver,
    Located? LastLocation,
    Ending? Ending,
    Rating? RiderRating,
    Rating? DriverRating)
{
    public static Ride None { get; } = new(RideStatus.None, null, null, null, null, null, 0, false, null, null, null, null);

    public bool IsActive => Status is RideStatus.Assigned or RideStatus.DriverEnRoute or RideStatus.Arrived or RideStatus.InProgress;

    /// <summary>Ended: completed, cancelled or a no-show (a rating may follow; no timer does).</summary>
    public bool IsOver => Status is RideStatus.Completed or RideStatus.Cancelled or RideStatus.NoShow;
}

public abstract record RideCommand;

public sealed record CreateRide(RideTerms Terms) : RideCommand;

public sealed record SetOff : RideCommand;

public sealed record Arrive : RideCommand;

public sealed record StartRide(string Code) : RideCommand;

public sealed record CompleteRide : RideCommand;

public sealed record MarkNoShow : RideCommand;

public sealed record CancelRide(Party By, string Reason) : RideCommand;

/// <summary>A dispatcher lets the driver try the start code again after too many wrong ones.</summary>
public sealed record UnlockStart : RideCommand;

public sealed record ReportRideLocation(GeoPoint Point) : RideCommand;

public sealed record RateRide(Party By, int Stars, string? Comment) : RideCommand;

public sealed record RideTimedOut(DateTimeOffset Deadline) : RideCommand;

/// <summary>The ride is over: free the driver for the next one and let the booking follow.</summary>
public sealed record FinishRide(string BookingId, string DriverId, RideStatus Outcome, Party? By, string? Reason, long Fee) : Effect;

/// <summary>The rider rated the driver: count it towards the driver's rating.</summary>
public sealed record RateDriver(string DriverId, string CompanyId, int Stars) : Effect;

/// <param name="SetOffWithin">From assignment to setting off, else the ride is taken away.</param>
/// <param name="NoShowWait">From arrival until the driver may mark a no-show.</param>
/// <param name="FreeCancellation">From assignment, how long the rider may cancel for free.</param>
/// <param name="CancellationFee">What a later cancellation by the rider costs, in the ride's minor units.</param>
/// <param name="NoShowFee">What a no-show costs the rider.</param>
public sealed record RideRules(
    TimeSpan SetOffWithin, TimeSpan NoShowWait, TimeSpan FreeCancellation, long CancellationFee, long NoShowFee, int MaxStartAttempts)
{
    public const int StartCodeLength = 4;
    public const int MaxCommentLength = 500;

    public static RideRules Default { get; } = new(
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2), CancellationFee: 500, NoShowFee: 500, MaxStartAttempts: 5);
}
