using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Integration;
using Atlas.Core.Notifications;
using static Atlas.Core.Rides.RideStatus;

namespace Atlas.Core.Rides;

public sealed class RideDecider(RideRules rules) : Decider<Ride, RideCommand>
{
    public const string Name = "ride";

    public RideDecider()
        : this(RideRules.Default)
    {
    }

    public static Rejection NotFound { get; } = new("ride-not-found", "There is no such ride.");

    public static Rejection StartLocked { get; } = new("start-locked", "Too many wrong start codes: a dispatcher must unlock the start.");

    public RideRules Rules => rules;

    public override string Type => Name;

    public override Ride Initial => Ride.None;

    public override RideCommand Timeout(DateTimeOffset deadline) => new RideTimedOut(deadline);

    /// <summary>What the ride is waiting on: the driver setting off, or the rider coming out.</summary>
    public DateTimeOffset? Deadline(Ride ride) => ride switch
    {
        { Status: Assigned, AssignedAt: { } at } => at + rules.SetOffWithin,
        { Status: Arrived, WaitOver: false, ArrivedAt: { } at } => at + rules.NoShowWait,
        _ => null,
    };

    public bool IsStartLocked(Ride ride) => ride.StartAttemptsFailed >= rules.MaxStartAttempts;

    public override Decision<Ride> Decide(Ride state, RideCommand command, DateTimeOffset now) => (state.Status, command) switch
    {
        // The assignment's notice comes from the booking, which tells the rider, the winner and the losers at once.
        (None, CreateRide create) => Move(Ride.None with { Status = Assigned, Terms = create.Terms, AssignedAt = now }),
        (None, _) => new Decision<Ride>.Rejected(NotFound),
        (_, CreateRide) => Decision<Ride>.Ignore(),

        (Assigned, RideTimedOut t) when t.Deadline == Deadline(state) && now >= t.Deadline =>
            End(state, Cancelled, now, Party.System, "driver-did-not-set-off", fee: 0),
        (Arrived, RideTimedOut t) when t.Deadline == Deadline(state) && now >= t.Deadline =>
            Move(state with { WaitOver = true }, Tell(state.Terms!, "ride.rider-late", rider: true, driver: true)),
        (_, RideTimedOut) => Decision<Ride>.Ignore(),

        (Assigned, SetOff) => Move(state with { Status = DriverEnRoute, DepartedAt = now }, Tell(state.Terms!, "ride.driver-en-route", rider: true)),
        (DriverEnRoute, SetOff) => Decision<Ride>.Ignore(),

        (Assigned or DriverEnRoute, Arrive) => Move(
            state with { Status = Arrived, DepartedAt = state.DepartedAt ?? now, ArrivedAt = now }, Tell(state.Terms!, "ride.driver-arrived", rider: true)),
        (Arrived, Arrive) => Decision<Ride>.Ignore(),

        (Arrived, StartRide) when IsStartLocked(state) => new Decision<Ride>.Rejected(StartLocked),
        (Arrived, StartRide start) when ConstantTime.AreEqual(start.Code, state.Terms!.StartCode) =>
            Move(state with { Status = InProgress, StartedAt = now }, Tell(state.Terms, "ride.started", rider: true)),
        (Arrived, StartRide) when state.StartAttemptsFailed + 1 >= rules.MaxStartAttempts => Move(
            state with { StartAttemptsFailed = state.StartAttemptsFailed + 1 }, Tell(state.Terms!, "ride.start-locked", rider: true, driver: true)),
        (Arrived, StartRide) => Move(state with { StartAttemptsFailed = state.StartAttemptsFailed + 1 }),
        (InProgress, StartRide) => Decision<Ride>.Ignore(),

        (Arrived, UnlockStart) when IsStartLocked(state) =>
            Move(state with { StartAttemptsFailed = 0 }, Tell(state.Terms!, "ride.start-unlocked", driver: true)),
        (Arrived, UnlockStart) => Decision<Ride>.Ignore(),

        (InProgress, CompleteRide) => End(state with { Status = Completed }, Completed, now, by: null, reason: null, fee: 0),
        (Completed, CompleteRide) => Decision<Ride>.Ignore(),

        (Arrived, MarkNoShow) when now < state.ArrivedAt + rules.NoShowWait => Decision<Ride>.Reject(
            "rider-still-has-time", $"The rider has {rules.NoShowWait.TotalMinutes:0} minutes from your arrival to come out."),
        (Arrived, MarkNoShow) => End(state, NoShow, now, Party.Driver, "rider-no-show", rules.NoShowFee),
        (NoShow, MarkNoShow) => Decision<Ride>.Ignore(),

        (Assigned or DriverEnRoute or Arrived, CancelRide cancel) => End(state, Cancelled, now, cancel.By, cancel.Reason, Fee(state, cancel.By, now)),
        (InProgress, CancelRide) => Decision<Ride>.Reject("ride-started", "The ride has started: complete it instead."),
        (Cancelled, CancelRide) => Decision<Ride>.Ignore(),

        (Assigned or DriverEnRoute or Arrived or InProgress, ReportRideLocation report) =>
            Move(state with { LastLocation = new Located(report.Point, now) }),
        (_, ReportRideLocation) => Decision<Ride>.Reject("ride-ended", "The ride has ended."),

        (Completed, RateRide rate) when rate.Stars is < 1 or > 5 => Decision<Ride>.Reject("rating-out-of-range", "A rating is 1 to 5 stars."),
        (Completed, RateRide { By: Party.Rider } rate) when state.RiderRating is null => Decision<Ride>.Accept(
            state with { RiderRating = new Rating(rate.Stars, rate.Comment, now) },
            null,
            new RateDriver(state.Terms!.DriverId, state.Terms.CompanyId, rate.Stars)),
        (Completed, RateRide { By: Party.Driver } rate) when state.DriverRating is null =>
            Decision<Ride>.Accept(state with { DriverRating = new Rating(rate.Stars, rate.Comment, now) }, null),
        (Completed, RateRide) => Decision<Ride>.Reject("already-rated", "You have already rated this ride."),
        (_, RateRide) => Decision<Ride>.Reject("ride-not-completed", "A ride can be rated once it is completed."),

        _ => Decision<Ride>.Reject("wrong-stage", $"The ride is {Stage(state.Status)}: {Describe(command)} is not possible now."),
    };

    /// <summary>The rider pays for a late cancellation of their own; a driver's or Atlas's costs the rider nothing.</summary>
    public long Fee(Ride ride, Party by, DateTimeOffset now) =>
        by == Party.Rider && now > ride.AssignedAt + rules.FreeCancellation ? rules.CancellationFee : 0;

    private Decision<Ride> Move(Ride next, params Effect[] effects) => Decision<Ride>.Accept(next, Deadline(next), effects);

    private static Decision<Ride> End(Ride state, RideStatus outcome, DateTimeOffset now, Party? by, string? reason, long fee)
    {
        var terms = state.Terms!;
        var topic = outcome switch
        {
            Completed => "ride.completed",
            NoShow => "ride.no-show",
            _ => "ride.cancelled",
        };
        return Decision<Ride>.Accept(
            state with { Status = outcome, Ending = new Ending(now, by, reason, fee) },
            null,
            new FinishRide(terms.BookingId, terms.DriverId, outcome, by, reason, fee),
            new Notify(
            [
                new Notice(terms.RiderId, topic, terms.BookingId, outcome == Completed ? terms.Price : fee, terms.RideId),
                new Notice(terms.DriverUserId, topic, terms.BookingId, outcome == Completed ? terms.Price : null, terms.RideId),
            ]),
            new Publish(new BusinessEvent(
                outcome == Completed ? BusinessEvents.RideCompleted : BusinessEvents.RideCancelled,
                now,
                terms.CompanyId,
                terms.BookingId,
                terms.RideId,
                terms.DriverId,
                outcome == Completed ? terms.Price : fee,
                terms.Currency,
                outcome == Completed ? null : reason)));
    }

    private static Notify Tell(RideTerms terms, string topic, bool rider = false, bool driver = false) => new(
    [
        .. rider ? [new Notice(terms.RiderId, topic, terms.BookingId, RideId: terms.RideId)] : Array.Empty<Notice>(),
        .. driver ? [new Notice(terms.DriverUserId, topic, terms.BookingId, RideId: terms.RideId)] : Array.Empty<Notice>(),
    ]);

    private static string Stage(RideStatus status) => status switch
    {
        DriverEnRoute => "driver en route",
        InProgress => "in progress",
        NoShow => "a no-show",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Describe(RideCommand command) => command switch
    {
        SetOff => "setting off",
        Arrive => "arriving",
        StartRide => "starting",
        CompleteRide => "completing",
        MarkNoShow => "marking a no-show",
        CancelRide => "cancelling",
        UnlockStart => "unlocking the start",
        _ => command.GetType().Name,
    };
}
