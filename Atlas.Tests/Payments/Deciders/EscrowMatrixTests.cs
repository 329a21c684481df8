using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Payments.Deciders.EscrowFixtures;

namespace Atlas.Tests.Payments.Deciders;

/// <summary>Every escrow state × every command: accepted, nothing to do, or refused with which reason.</summary>
public sealed class EscrowMatrixTests
{
    private static readonly Dictionary<string, Func<Escrow>> States = new()
    {
        ["none"] = () => Escrow.None,
        ["authorising"] = Authorising,
        ["actionRequired"] = ActionRequired,
        ["authorised"] = Authorised,
        ["capturing"] = Capturing,
        ["releasing"] = Releasing,
        ["captured"] = Captured,
        ["released"] = Released,
        ["declined"] = Declined,
    };

    private static readonly Dictionary<string, EscrowCommand> Commands = new()
    {
        ["open"] = new OpenEscrow(Terms),
        ["authorised"] = new PaymentAuthorised(1, Intent, Hold, CaptureBefore),
        ["needsAction"] = new PaymentNeedsAction(1, Intent, "s"),
        ["declined"] = new PaymentDeclined(1, Intent, "card_declined"),
        ["oldEvent"] = new IntentObserved(Snapshot("requires_capture", Hold), Now.AddYears(-1)),
        ["rideOver"] = new RideOver(RideStatus.Completed, 0),
        ["captured"] = new PaymentCaptured(Intent, Price),
        ["captureFailed"] = new CaptureFailed(Intent, "expired"),
        ["released"] = new PaymentReleased(Intent),
        ["refund"] = new RequestRefund("rf_1", 100),
        ["refunded"] = new RefundSucceeded("rf_1"),
        ["tip"] = new AddTip("tip_1", 200),
        ["tipCharged"] = new TipCharged("tip_1"),
        ["disputeOpened"] = new DisputeOpened("dp_1", Price),
        ["disputeClosed"] = new DisputeClosed("dp_1", Won: true),
        ["holdLapsed"] = new HoldLapsed(Intent),
        ["staleTimeout"] = new EscrowTimedOut(Now.AddYears(-1)),
    };

    private static readonly string[] Order =
    [
        "open", "authorised", "needsAction", "declined", "oldEvent", "rideOver", "captured", "captureFailed", "released", "refund", "refunded", "tip",
        "tipCharged", "disputeOpened", "disputeClosed", "holdLapsed", "staleTimeout",
    ];

    private const string NotFound = "payment-not-found";
    private const string Nothing = "nothing-captured";
    private const string NoTip = "tip-not-allowed";

    // One row per state, in the order of the commands above: accepted (a), unchanged (u), or the rejection code.
    // "oldEvent" is a webhook from long ago, before any other was applied: it counts for what it says.
    private static readonly Dictionary<string, string[]> Rows = new()
    {
        ["none"] = ["a", NotFound, NotFound, NotFound, NotFound, "a", NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound],
        ["authorising"] = ["u", "a", "a", "a", "a", "a", "u", "u", "u", Nothing, "u", NoTip, "u", "u", "u", "u", "u"],
        ["actionRequired"] = ["u", "a", "u", "a", "a", "a", "u", "u", "u", Nothing, "u", NoTip, "u", "u", "u", "u", "u"],
        ["authorised"] = ["u", "u", "u", "u", "u", "a", "u", "u", "u", Nothing, "u", NoTip, "u", "u", "u", "a", "u"],
        ["capturing"] = ["u", "u", "u", "u", "u", "u", "a", "a", "u", Nothing, "u", NoTip, "u", "u", "u", "u", "u"],
        ["releasing"] = ["u", "u", "u", "u", "u", "u", "u", "u", "a", Nothing, "u", NoTip, "u", "u", "u", "u", "u"],
        ["captured"] = ["u", "u", "u", "u", "u", "u", "u", "u", "u", "a", "u", "a", "u", "a", "u", "u", "u"],
        ["released"] = ["u", "u", "u", "u", "u", "u", "u", "u", "u", Nothing, "u", NoTip, "u", "u", "u", "u", "u"],
        ["declined"] = ["u", "a", "u", "u", "u", "a", "u", "u", "u", Nothing, "u", NoTip, "u", "u", "u", "u", "u"],
    };

    public static TheoryData<string, string> Cells() => DecisionMatrix.Cells(Rows.Keys, Order);

    [Fact]
    public void The_matrix_covers_every_state_and_command() => DecisionMatrix.AssertComplete<EscrowStatus>(States.Keys, Commands.Keys, Order, Rows);

    [Theory]
    [MemberData(nameof(Cells))]
    public void GivenState_WhenCommand_ThenAsTheMatrixSays(string state, string command)
    {
        var decision = Decider.Decide(States[state](), Commands[command], Now.AddHours(1));

        Assert.Equal(Rows[state][Array.IndexOf(Order, command)], DecisionMatrix.Outcome(decision));
    }
}
