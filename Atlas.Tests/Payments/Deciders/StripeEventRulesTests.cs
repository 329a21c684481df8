using Atlas.Core.Common;
using Atlas.Core.Payments;
using static Atlas.Tests.Payments.Deciders.EscrowFixtures;

namespace Atlas.Tests.Payments.Deciders;

/// <summary>What the webhook makes of a Stripe event around the escrow's own decision: whose it is, whether it can ever
/// apply, whether the escrow already knows it, what must be read fresh first, and what the escrow's answer means.</summary>
public sealed class StripeEventRulesTests
{
    private static readonly DateTimeOffset Created = Now.AddMinutes(30);
    private static readonly IntentSeen Hold = new(Snapshot("requires_capture", capturable: EscrowFixtures.Hold), TipId: null, RideId: "rd_1");
    private static readonly DisputeSeen Dispute = new("dp_1", "needs_response", 500, Intent);

    [Fact]
    public void GivenARidesIntent_WhenItsEventArrives_ThenItGoesToThatRidesEscrowAsObservedWhenTheEventWasCreated()
    {
        var apply = Assert.IsType<EventStep.Apply>(StripeEventRules.ForIntent(Hold, Created));

        Assert.Equal("rd_1", apply.RideId);
        Assert.Equal(new IntentObserved(Hold.Intent, Created), apply.Command);
        var decided = Assert.IsType<Decision<Escrow>.Accepted>(Decider.Decide(Authorising(), apply.Command, Created));
        Assert.Equal(EscrowStatus.Authorised, decided.State.Status);
    }

    [Fact]
    public void GivenATipsIntent_WhenItsEventArrives_ThenItConfirmsWhatAtlasChargedItself()
    {
        Assert.IsType<EventStep.Confirm>(StripeEventRules.ForIntent(Hold with { TipId = "tip_1", RideId = null }, Created));
    }

    [Fact]
    public void GivenAnIntentNamingNoRide_WhenItsEventArrives_ThenLeftAsNotOurs()
    {
        var left = Assert.IsType<EventStep.Leave>(StripeEventRules.ForIntent(Hold with { RideId = null }, Created)).Left;

        Assert.Equal(new EventLeft(EventLeftBecause.NotOurs, "Payment intent pi_1 names no ride (no ride_id in its metadata)."), left);
    }

    [Theory]
    [InlineData("order-42")]
    [InlineData("rd_1 2")]
    [InlineData("RD_1")]
    public void GivenAnIntentNamingARideNotInAtlassShape_WhenItsEventArrives_ThenLeftAsNotOursNamingIt(string named)
    {
        var left = Assert.IsType<EventStep.Leave>(StripeEventRules.ForIntent(Hold with { RideId = named }, Created)).Left;

        Assert.Equal(EventLeftBecause.NotOurs, left.Because);
        Assert.Equal($"Payment intent pi_1 names ride '{named}', which is not an Atlas ride id.", left.Detail);
    }

    [Fact]
    public void GivenAnotherSystemsLongRideId_WhenItsEventArrives_ThenTheDetailCutsItShort()
    {
        var left = Assert.IsType<EventStep.Leave>(StripeEventRules.ForIntent(Hold with { RideId = new string('x', 200) }, Created)).Left;

        Assert.Contains($"'{new string('x', 64)}…'", left.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1100)]
    [InlineData("requires_capture", 0)]
    public void GivenARidesIntentWithoutAStatusOrAnAmount_WhenItsEventArrives_ThenItCanNeverApply(string status, long amount)
    {
        var seen = Hold with { Intent = Hold.Intent with { Status = status, Amount = amount } };

        var rejected = Assert.IsType<EventStep.Reject>(StripeEventRules.ForIntent(seen, Created));

        Assert.Equal("Payment intent pi_1 of ride rd_1 has no status or no amount.", rejected.Reason);
    }

    [Fact]
    public void GivenAnEscrowAlreadyAuthorised_WhenTheAuthorisationsEventArrives_ThenItConfirmsWhatTheEscrowKnows()
    {
        var apply = Assert.IsType<EventStep.Apply>(StripeEventRules.ForIntent(Hold, Created));

        Assert.IsType<EventStep.Confirm>(StripeEventRules.Against(Authorised(), apply));
    }

    [Fact]
    public void GivenAnEscrowAuthorising_WhenAnAuthorisedIntentComesWithoutItsDeadline_ThenTheIntentIsReadFreshFirst()
    {
        var seen = Hold with { Intent = Hold.Intent with { CaptureBefore = null } };
        var apply = Assert.IsType<EventStep.Apply>(StripeEventRules.ForIntent(seen, Created));

        Assert.Equal(new EventStep.ReadIntent(Intent), StripeEventRules.Against(Authorising(), apply));
    }

    [Fact]
    public void GivenAnEscrowAuthorising_WhenAnAuthorisedIntentComesWithItsDeadline_ThenItIsApplied()
    {
        var apply = Assert.IsType<EventStep.Apply>(StripeEventRules.ForIntent(Hold, Created));

        Assert.Same(apply, StripeEventRules.Against(Authorising(), apply));
    }

    [Fact]
    public void GivenAnEscrowCapturing_WhenTheCapturesEventArrives_ThenItIsApplied()
    {
        var seen = Hold with { Intent = Snapshot("succeeded", received: Price) };
        var apply = Assert.IsType<EventStep.Apply>(StripeEventRules.ForIntent(seen, Created));

        Assert.Same(apply, StripeEventRules.Against(Capturing(), apply));
    }

    [Theory]
    [InlineData(false, "needs_response")]
    [InlineData(true, "won")]
    [InlineData(true, "warning_closed")]
    [InlineData(true, "lost")]
    public void GivenADisputeAtlasActsOn_WhenItsEventArrives_ThenItsIntentIsReadToFindTheRide(bool closed, string status)
    {
        Assert.Equal(new EventStep.ReadIntent(Intent), StripeEventRules.ForDispute(Dispute with { Status = status }, closed));
    }

    [Fact]
    public void GivenADisputeClosedAnotherWay_WhenItsEventArrives_ThenLeftAsNotUsed()
    {
        var left = Assert.IsType<EventStep.Leave>(StripeEventRules.ForDispute(Dispute with { Status = "charge_refunded" }, closed: true)).Left;

        Assert.Equal(new EventLeft(EventLeftBecause.NotUsed, "Dispute dp_1 closed as 'charge_refunded', which Atlas does not act on."), left);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void GivenADisputeNamingNoIntent_WhenItsEventArrives_ThenItCanNeverApply(string? intentId)
    {
        var rejected = Assert.IsType<EventStep.Reject>(StripeEventRules.ForDispute(Dispute with { IntentId = intentId }, closed: false));

        Assert.Equal("Dispute dp_1 names no payment intent.", rejected.Reason);
    }

    [Theory]
    [InlineData(false, "needs_response", null)]
    [InlineData(true, "won", true)]
    [InlineData(true, "warning_closed", true)]
    [InlineData(true, "lost", false)]
    public void GivenADisputeOnARidesIntent_WhenTheIntentIsRead_ThenTheDisputeGoesToThatRidesEscrow(bool closed, string status, bool? won)
    {
        var dispute = Dispute with { Status = status };

        var apply = Assert.IsType<EventStep.Apply>(StripeEventRules.ForDisputedIntent(dispute, closed, Hold));

        Assert.Equal("rd_1", apply.RideId);
        Assert.Equal(won is { } w ? new DisputeClosed("dp_1", w) : new DisputeOpened("dp_1", 500), apply.Command);
    }

    [Fact]
    public void GivenADisputeOnATipsIntent_WhenTheIntentIsRead_ThenLeftAsNotUsed()
    {
        var left = Assert.IsType<EventStep.Leave>(StripeEventRules.ForDisputedIntent(Dispute, false, Hold with { TipId = "tip_1" })).Left;

        Assert.Equal(
            new EventLeft(EventLeftBecause.NotUsed, "Dispute dp_1 is on a tip's payment intent pi_1: Atlas does not act on disputes of tips."), left);
    }

    [Fact]
    public void GivenADisputeOnAnotherSystemsIntent_WhenTheIntentIsRead_ThenLeftAsNotOurs()
    {
        var left = Assert.IsType<EventStep.Leave>(StripeEventRules.ForDisputedIntent(Dispute, false, Hold with { RideId = null })).Left;

        Assert.Equal(new EventLeft(EventLeftBecause.NotOurs, "Dispute dp_1 is on payment intent pi_1, which names no ride (no ride_id in its metadata)."), left);
    }

    [Fact]
    public void GivenAnEventOlderThanWhatTheEscrowKnows_WhenRefusedAsStale_ThenTheIntentIsReadAgain()
    {
        var observed = Given(new OpenEscrow(Terms), new IntentObserved(Hold.Intent, Created));
        var stale = Assert.IsType<Decision<Escrow>.Rejected>(Decider.Decide(observed, new IntentObserved(Hold.Intent, Now), Created));

        Assert.True(StripeEventRules.ReadsAgain(stale.Rejection));
        Assert.False(StripeEventRules.ReadsAgain(EscrowDecider.NotFound));
        Assert.False(StripeEventRules.ReadsAgain(null));
    }

    [Fact]
    public void GivenTheEscrowsAnswer_WhenTheEventIsSettled_ThenAppliedIsNothingLeftAndARefusalSaysWhy()
    {
        Assert.Null(StripeEventRules.Outcome("rd_1", "Payment intent pi_1", null));
        Assert.Equal(
            new EventLeft(EventLeftBecause.UnknownRide, "Payment intent pi_1 names ride rd_1, which has no payment in Atlas."),
            StripeEventRules.Outcome("rd_1", "Payment intent pi_1", EscrowDecider.NotFound));
        Assert.Equal(
            new EventLeft(EventLeftBecause.Refused, "The payment of ride rd_1 refused it: some-rule (Not now.)"),
            StripeEventRules.Outcome("rd_1", "Payment intent pi_1", new Rejection("some-rule", "Not now.")));
    }
}
