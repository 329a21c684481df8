using Atlas.Core.Common;
using Atlas.Core.Ledger;
using Atlas.Core.Notifications;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using static Atlas.Tests.Payments.Deciders.EscrowFixtures;

namespace Atlas.Tests.Payments.Deciders;

/// <summary>The escrow's rules one by one: what each step holds, charges and books, and what it leaves alone.</summary>
public sealed partial class EscrowLifecycleTests
{
    private static readonly DateTimeOffset Later = Now.AddHours(1);

    [Fact]
    public void GivenNothing_WhenOpened_ThenTheWinningBidPlusTheBufferIsAuthorised()
    {
        var accepted = Accept(Escrow.None, new OpenEscrow(Terms));

        Assert.Equal(EscrowStatus.Authorising, accepted.State.Status);
        var authorise = Assert.IsType<AuthorisePayment>(Assert.Single(accepted.Effects));
        Assert.Equal(new AuthorisePayment(1, 1100, "GBP", "cus_1", "pm_1", "bk_1", "rd_1"), authorise);
    }

    [Fact]
    public void GivenARiderWithoutACard_WhenOpened_ThenItIsDeclinedAndTheBookingIsTold()
    {
        var accepted = Accept(Escrow.None, new OpenEscrow(Terms with { CustomerId = null, PaymentMethodId = null }));

        Assert.Equal(EscrowStatus.Declined, accepted.State.Status);
        Assert.Equal("no-payment-method", accepted.State.FailureCode);
        Assert.Contains(new PaymentFailed("bk_1", "rd_1"), accepted.Effects);
        Assert.Contains(Topics(accepted), t => t == "usr_rider:payment.declined");
    }

    [Fact]
    public void GivenAuthorising_WhenAuthorised_ThenTheHoldIsBookedAndTheReauthorisationIsDueADayBeforeItLapses()
    {
        var accepted = Accept(Authorising(), new PaymentAuthorised(1, Intent, Hold, CaptureBefore));

        Assert.Equal(EscrowStatus.Authorised, accepted.State.Status);
        Assert.Equal(CaptureBefore.AddDays(-1), accepted.Deadline);
        var hold = Ledger(accepted).Single();
        Assert.Equal("hold", hold.Kind);
        Assert.Equal(Hold, hold.AmountOn(LedgerAccounts.CardAuthorisations));
    }

    [Fact]
    public void GivenAuthorising_WhenTheCardAsksFor3DSecure_ThenTheRiderIsToldAndHasFifteenMinutes()
    {
        var accepted = Accept(Authorising(), new PaymentNeedsAction(1, Intent, "pi_1_secret"), Later);

        Assert.Equal(EscrowStatus.ActionRequired, accepted.State.Status);
        Assert.Equal(Later.AddMinutes(15), accepted.Deadline);
        Assert.Equal("pi_1_secret", accepted.State.Hold!.ClientSecret);
        Assert.Contains("usr_rider:payment.action-required", Topics(accepted));
    }

    [Fact]
    public void GivenActionRequired_When3DSecureIsNotDoneInTime_ThenTheIntentIsCancelledAndTheBookingIsTold()
    {
        var waiting = Accept(Authorising(), new PaymentNeedsAction(1, Intent, "s"), Later);

        var early = Decider.Decide(waiting.State, new EscrowTimedOut(waiting.Deadline!.Value), waiting.Deadline.Value.AddSeconds(-1));
        var onTime = Accept(waiting.State, new EscrowTimedOut(waiting.Deadline.Value), waiting.Deadline.Value);

        Assert.IsType<Decision<Escrow>.Unchanged>(early);
        Assert.Equal(EscrowStatus.Declined, onTime.State.Status);
        Assert.Equal("authentication-timeout", onTime.State.FailureCode);
        Assert.Contains(new CancelPayment(Intent), onTime.Effects);
        Assert.Contains(new PaymentFailed("bk_1", "rd_1"), onTime.Effects);
    }

    [Fact]
    public void GivenActionRequired_WhenTheWebhookSaysAuthorised_ThenItIsAuthorised()
    {
        var accepted = Accept(ActionRequired(), new IntentObserved(Snapshot("requires_capture", Hold), Later));

        Assert.Equal(EscrowStatus.Authorised, accepted.State.Status);
        Assert.Equal(Later, accepted.State.ObservedAt);
    }

    [Fact]
    public void GivenAnEventApplied_WhenAnOlderOneArrives_ThenItIsRefusedAsStale()
    {
        var seen = Accept(ActionRequired(), new IntentObserved(Snapshot("requires_capture", Hold), Later)).State;

        var older = Decider.Decide(seen, new IntentObserved(Snapshot("requires_payment_method"), Later.AddSeconds(-5)), Later.AddMinutes(1));

        Assert.Equal("stale-event", Assert.IsType<Decision<Escrow>.Rejected>(older).Rejection.Code);
    }

    [Fact]
    public void GivenAuthorised_WhenTheRideCompletes_ThenThePriceIsCapturedNotTheHold()
    {
        var accepted = Accept(Authorised(), new RideOver(RideStatus.Completed, 0));

        Assert.Equal(new CapturePayment(Intent, Price), Assert.Single(accepted.Effects));
        Assert.Null(accepted.Deadline);
    }

    [Theory]
    [InlineData(RideStatus.Cancelled, 500, 500)]
    [InlineData(RideStatus.NoShow, 500, 500)]
    [InlineData(RideStatus.Cancelled, 5_000, Hold)]
    public void GivenAuthorised_WhenTheRideEndsWithAFee_ThenOnlyTheFeeIsCaptured(RideStatus outcome, long fee, long captured)
    {
        var accepted = Accept(Authorised(), new RideOver(outcome, fee));

        Assert.Equal(new CapturePayment(Intent, captured), Assert.Single(accepted.Effects));
    }

    [Fact]
    public void GivenAuthorised_WhenTheRideIsCancelledFree_ThenTheIntentIsCancelledNeverRefunded()
    {
        var accepted = Accept(Authorised(), new RideOver(RideStatus.Cancelled, 0));
        var released = Accept(accepted.State, new PaymentReleased(Intent));

        Assert.Equal(new CancelPayment(Intent), Assert.Single(accepted.Effects));
        Assert.Equal(EscrowStatus.Released, released.State.Status);
        Assert.Equal("release", Ledger(released).Single().Kind);
        Assert.DoesNotContain(released.Effects, e => e is RefundPayment);
    }

    [Fact]
    public void GivenCapturing_WhenCaptured_ThenThePlatformFeeAndTheDriversShareAreBookedAndAddUp()
    {
        var accepted = Accept(Capturing(), new PaymentCaptured(Intent, Price));

        var capture = Ledger(accepted).Single();
        Assert.Equal(EscrowStatus.Captured, accepted.State.Status);
        Assert.Equal(850, -capture.AmountOn(LedgerAccounts.DriverPayable("mb_driver")));
        Assert.Equal(150, -capture.AmountOn(LedgerAccounts.PlatformRevenue));
        Assert.Equal(Price, capture.AmountOn(LedgerAccounts.StripeClearing));
        Assert.Equal(0, capture.Postings.Sum(p => p.Amount));
        Assert.Contains("usr_rider:payment.captured", Topics(accepted));
    }

    [Fact]
    public void GivenAuthorising_WhenTheRideEndsFirst_ThenTheAuthorisationCapturesAsSoonAsItArrives()
    {
        var ended = Accept(Authorising(), new RideOver(RideStatus.Completed, 0));
        var authorised = Accept(ended.State, new PaymentAuthorised(1, Intent, Hold, CaptureBefore));

        Assert.Empty(ended.Effects);
        Assert.Equal(EscrowStatus.Capturing, authorised.State.Status);
        Assert.Contains(new CapturePayment(Intent, Price), authorised.Effects);
    }

    [Fact]
    public void GivenActionRequired_WhenTheRideCompletes_ThenItWaitsFor3DSecureAndCapturesWhenItPasses()
    {
        var ended = Accept(ActionRequired(), new RideOver(RideStatus.Completed, 0));
        var passed = Accept(ended.State, new PaymentAuthorised(1, Intent, Hold, CaptureBefore));

        Assert.Equal(EscrowStatus.ActionRequired, ended.State.Status);
        Assert.DoesNotContain(ended.Effects, e => e is CancelPayment);
        Assert.Contains(new CapturePayment(Intent, Price), passed.Effects);
    }

    [Fact]
    public void GivenActionRequired_WhenTheRideEndsWithNothingDue_ThenThePendingAuthorisationIsCancelled()
    {
        var ended = Accept(ActionRequired(), new RideOver(RideStatus.Cancelled, 0));
        var released = Accept(ended.State, new PaymentReleased(Intent));

        Assert.Equal(EscrowStatus.Releasing, ended.State.Status);
        Assert.Equal([new CancelPayment(Intent)], ended.Effects);
        Assert.Equal(EscrowStatus.Released, released.State.Status);
        Assert.Empty(Ledger(released));
    }

    [Fact]
    public void GivenNoEscrowYet_WhenTheRideEndsFreeAndThenItOpens_ThenNothingIsEverAuthorised()
    {
        var ended = Accept(Escrow.None, new RideOver(RideStatus.Cancelled, 0));
        var opened = Accept(ended.State, new OpenEscrow(Terms));

        Assert.Equal(EscrowStatus.Released, opened.State.Status);
        Assert.Empty(opened.Effects);
    }

    [Fact]
    public void GivenAuthorised_WhenTheReauthorisationIsDue_ThenANewHoldIsMadeAndTheOldReleasedOnlyOnceItSucceeds()
    {
        var authorised = Authorised();
        var due = Decider.ReauthoriseAt(authorised)!.Value;

        var reauthorising = Accept(authorised, new EscrowTimedOut(due), due);
        var renewed = Accept(reauthorising.State, new PaymentAuthorised(2, "pi_2", Hold, due.AddDays(7)), due.AddSeconds(2));

        Assert.Equal(new AuthorisePayment(2, Hold, "GBP", "cus_1", "pm_1", "bk_1", "rd_1"), Assert.Single(reauthorising.Effects));
        Assert.Equal(EscrowStatus.Authorised, reauthorising.State.Status);
        Assert.Equal("pi_2", renewed.State.Hold!.IntentId);
        Assert.Contains(new CancelPayment(Intent), renewed.Effects);
        Assert.Equal(["hold", "release"], Ledger(renewed).Select(t => t.Kind).Order());
        Assert.Equal(due.AddDays(6), renewed.Deadline);
    }

    [Fact]
    public void GivenAReauthorisationUnderWay_WhenTheRideCompletes_ThenTheOldHoldIsCapturedAndTheNewOneCancelledWhenItArrives()
    {
        var authorised = Authorised();
        var due = Decider.ReauthoriseAt(authorised)!.Value;
        var reauthorising = Accept(authorised, new EscrowTimedOut(due), due).State;

        var completed = Accept(reauthorising, new RideOver(RideStatus.Completed, 0), due.AddSeconds(1));
        var late = Accept(completed.State, new PaymentAuthorised(2, "pi_2", Hold, due.AddDays(7)), due.AddSeconds(2));

        Assert.Contains(new CapturePayment(Intent, Price), completed.Effects);
        Assert.Equal([new CancelPayment("pi_2")], late.Effects);
    }

    [Fact]
    public void GivenAuthorised_WhenStripeLetsTheHoldLapse_ThenTheRideIsAuthorisedAgain()
    {
        var accepted = Accept(Authorised(), new IntentObserved(Snapshot("canceled", reason: "expired"), Later));

        Assert.Equal(EscrowStatus.Authorising, accepted.State.Status);
        Assert.Contains(accepted.Effects, e => e is AuthorisePayment { Attempt: 2 });
        Assert.Equal("release", Ledger(accepted).Single().Kind);
    }

    [Fact]
    public void GivenCapturing_WhenTheHoldHadLapsed_ThenNothingIsChargedAndTheHoldIsOffTheBooks()
    {
        var accepted = Accept(Capturing(), new CaptureFailed(Intent, "expired"));

        Assert.Equal(EscrowStatus.Declined, accepted.State.Status);
        Assert.Equal("release", Ledger(accepted).Single().Kind);
    }

    [Fact]
    public void GivenAReauthorisation_WhenItIsDeclined_ThenTheBookingIsNotTouchedAndTheOldHoldStays()
    {
        var authorised = Authorised();
        var due = Decider.ReauthoriseAt(authorised)!.Value;
        var reauthorising = Accept(authorised, new EscrowTimedOut(due), due).State;

        var declined = Accept(reauthorising, new PaymentDeclined(2, "pi_2", "card_declined"), due.AddSeconds(1));

        Assert.Equal(EscrowStatus.Authorised, declined.State.Status);
        Assert.Equal(Intent, declined.State.Hold!.IntentId);
        Assert.DoesNotContain(declined.Effects, e => e is PaymentFailed);
    }

    [Theory]
    [InlineData("authorising", "requires_capture", false)]
    [InlineData("actionRequired", "requires_capture", false)]
    [InlineData("authorised", "requires_capture", true)]
    [InlineData("authorised", "requires_payment_method", true)]
    [InlineData("authorised", "canceled", false)]
    [InlineData("capturing", "succeeded", false)]
    [InlineData("captured", "requires_action", true)]
    [InlineData("reauthorising", "requires_capture", false)]
    public void An_event_from_before_capture_cannot_move_an_escrow_past_its_authorisation(string state, string intentStatus, bool past)
    {
        var escrow = state switch
        {
            "authorising" => Authorising(),
            "actionRequired" => ActionRequired(),
            "authorised" => Authorised(),
            "capturing" => Capturing(),
            "captured" => Captured(),
            _ => Accept(Authorised(), new EscrowTimedOut(Decider.ReauthoriseAt(Authorised())!.Value), CaptureBefore).State,
        };

        Assert.Equal(past, EscrowDecider.IsPastAuthorisation(escrow, intentStatus));
    }

    private static Decision<Escrow>.Accepted Accept(Escrow state, EscrowCommand command, DateTimeOffset? at = null) =>
        Assert.IsType<Decision<Escrow>.Accepted>(Decider.Decide(state, command, at ?? Later));

    private static IEnumerable<LedgerTransaction> Ledger(Decision<Escrow>.Accepted accepted) =>
        accepted.Effects.OfType<RecordLedger>().Select(r => r.Transaction);

    private static IEnumerable<string> Topics(Decision<Escrow>.Accepted accepted) =>
        accepted.Effects.OfType<Notify>().SelectMany(n => n.Notices).Select(n => $"{n.UserId}:{n.Topic}");
}
