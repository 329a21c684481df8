using Atlas.Core.Common;
using Atlas.Core.Rides;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Rides.Deciders.RideFixtures;

namespace Atlas.Tests.Rides.Deciders;

/// <summary>Every ride state × every command: accepted, nothing to do, or refused with which reason.</summary>
public sealed class RideMatrixTests
{
    private static readonly Dictionary<string, Func<Ride>> States = new()
    {
        ["none"] = () => Ride.None,
        ["assigned"] = Assigned,
        ["enRoute"] = EnRoute,
        ["arrived"] = Arrived,
        ["inProgress"] = InProgress,
        ["completed"] = Completed,
        ["cancelled"] = Cancelled,
        ["noShow"] = NoShow,
    };

    private static readonly Dictionary<string, RideCommand> Commands = new()
    {
        ["create"] = new CreateRide(Terms),
        ["setOff"] = new SetOff(),
        ["arrive"] = new Arrive(),
        ["start"] = new StartRide(Code),
        ["complete"] = new CompleteRide(),
        ["noShow"] = new MarkNoShow(),
        ["cancel"] = new CancelRide(Party.Rider, "changedPlans"),
        ["unlock"] = new UnlockStart(),
        ["location"] = new ReportRideLocation(new GeoPoint(51.51, -0.12)),
        ["rate"] = new RateRide(Party.Rider, 5, null),
        ["staleTimeout"] = new RideTimedOut(Now.AddYears(-1)),
    };

    private static readonly string[] Order = ["create", "setOff", "arrive", "start", "complete", "noShow", "cancel", "unlock", "location", "rate", "staleTimeout"];

    // One row per state, in the order of the commands above: accepted (a), unchanged (u), or the rejection code.
    private static readonly Dictionary<string, string[]> Rows = new()
    {
        ["none"] = ["a", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found", "ride-not-found"],
        ["assigned"] = ["u", "a", "a", "wrong-stage", "wrong-stage", "wrong-stage", "a", "wrong-stage", "a", "ride-not-completed", "u"],
        ["enRoute"] = ["u", "u", "a", "wrong-stage", "wrong-stage", "wrong-stage", "a", "wrong-stage", "a", "ride-not-completed", "u"],
        ["arrived"] = ["u", "wrong-stage", "u", "a", "wrong-stage", "rider-still-has-time", "a", "u", "a", "ride-not-completed", "u"],
        ["inProgress"] = ["u", "wrong-stage", "wrong-stage", "u", "a", "wrong-stage", "ride-started", "wrong-stage", "a", "ride-not-completed", "u"],
        ["completed"] = ["u", "wrong-stage", "wrong-stage", "wrong-stage", "u", "wrong-stage", "wrong-stage", "wrong-stage", "ride-ended", "a", "u"],
        ["cancelled"] = ["u", "wrong-stage", "wrong-stage", "wrong-stage", "wrong-stage", "wrong-stage", "u", "wrong-stage", "ride-ended", "ride-not-completed", "u"],
        ["noShow"] = ["u", "wrong-stage", "wrong-stage", "wrong-stage", "wrong-stage", "u", "wrong-stage", "wrong-stage", "ride-ended", "ride-not-completed", "u"],
    };

    public static TheoryData<string, string> Cells() => DecisionMatrix.Cells(Rows.Keys, Order);

    [Fact]
    public void The_matrix_covers_every_state_and_command() => DecisionMatrix.AssertComplete<RideStatus>(States.Keys, Commands.Keys, Order, Rows);

    [Theory]
    [MemberData(nameof(Cells))]
    public void GivenState_WhenCommand_ThenAsTheMatrixSays(string state, string command)
    {
        // A minute after arriving: the rider still has time, so a no-show is refused.
        var decision = Decider.Decide(States[state](), Commands[command], ArrivedAt.AddMinutes(1));

        Assert.Equal(Rows[state][Array.IndexOf(Order, command)], DecisionMatrix.Outcome(decision));
    }
}
