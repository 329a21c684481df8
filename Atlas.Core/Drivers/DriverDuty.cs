using Atlas.Core.Common;
using Atlas.Core.Privacy;

namespace Atlas.Core.Drivers;

// One instance per driver (keyed by the driver's member id). It owns the rule that spans rides: a driver holds at
// most one active ride. It also keeps the driver's rating, so ratings counted twice by a redelivered effect are
// impossible: each ride counts once.

/// <param name="RatedRides">The latest rides that counted towards the rating, to ignore a redelivery.</param>
/// <param name="Retired">The driver's account is being erased: they take no more rides.</param>
public sealed record DriverDuty(string? ActiveRideId, int RatingCount, int RatingTotal, IReadOnlyList<string> RatedRides, bool Retired = false)
{
    public static DriverDuty New { get; } = new(null, 0, 0, []);

    /// <summary>The mean of the stars given, to two places; null before the first rating.</summary>
    public double? Rating => RatingCount == 0 ? null : Math.Round((double)RatingTotal / RatingCount, 2);
}

public abstract record DriverDutyCommand;

public sealed record ReserveDriver(string RideId) : DriverDutyCommand;

public sealed record ReleaseDriver(string RideId) : DriverDutyCommand;

public sealed record RecordRating(string RideId, int Stars) : DriverDutyCommand;

/// <summary>The driver's account is to be erased: refused while they drive a ride, and once accepted no ride is theirs again.</summary>
public sealed record RetireDriver : DriverDutyCommand;

public sealed record DriverDutyTimedOut(DateTimeOffset Deadline) : DriverDutyCommand;

public sealed class DriverDutyDecider : Decider<DriverDuty, DriverDutyCommand>
{
    public const string Name = "driver";
    public const int RatedRidesKept = 100;

    public static Rejection Busy { get; } = new("driver-busy", "The driver already has an active ride.");

    public static Rejection Erased { get; } = new("driver-erased", "The driver's account is erased.");

    public override string Type => Name;

    public override DriverDuty Initial => DriverDuty.New;

    public override DriverDutyCommand Timeout(DateTimeOffset deadline) => new DriverDutyTimedOut(deadline);

    public override Decision<DriverDuty> Decide(DriverDuty state, DriverDutyCommand command, DateTimeOffset now) => command switch
    {
        ReserveDriver when state.Retired => new Decision<DriverDuty>.Rejected(Erased),
        ReserveDriver r when state.ActiveRideId is null => Decision<DriverDuty>.Accept(state with { ActiveRideId = r.RideId }, null),
        ReserveDriver r when state.ActiveRideId == r.RideId => Decision<DriverDuty>.Ignore(),
        ReserveDriver => new Decision<DriverDuty>.Rejected(Busy),

        ReleaseDriver r when state.ActiveRideId == r.RideId => Decision<DriverDuty>.Accept(state with { ActiveRideId = null }, null),
        ReleaseDriver => Decision<DriverDuty>.Ignore(),

        RecordRating r when state.RatedRides.Contains(r.RideId) => Decision<DriverDuty>.Ignore(),
        RecordRating r when r.Stars is < 1 or > 5 => Decision<DriverDuty>.Reject("rating-out-of-range", "A rating is 1 to 5 stars."),
        RecordRating r => Decision<DriverDuty>.Accept(
            state with
            {
                RatingCount = state.RatingCount + 1,
                RatingTotal = state.RatingTotal + r.Stars,
                RatedRides = [.. state.RatedRides.TakeLast(RatedRidesKept - 1), r.RideId],
            },
            null),

        RetireDriver when state.Retired => Decision<DriverDuty>.Ignore(),
        RetireDriver when state.ActiveRideId is { } ride => new Decision<DriverDuty>.Rejected(ErasureRules.ActiveRide(ride)),
        RetireDriver => Decision<DriverDuty>.Accept(state with { Retired = true }, null),

        DriverDutyTimedOut => Decision<DriverDuty>.Ignore(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
    };
}
