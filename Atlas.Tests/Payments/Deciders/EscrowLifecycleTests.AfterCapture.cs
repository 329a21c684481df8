using Atlas.Core.Common;
using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using static Atlas.Tests.Payments.Deciders.EscrowFixtures;

namespace Atlas.Tests.Payments.Deciders;

/// <summary>After the capture: refunds in parts, a refund asked for twice, tips, disputes won and lost.</summary>
public sealed partial class EscrowLifecycleTests
{
    [Fact]
    public void GivenCaptured_WhenRefundedInParts_ThenTheDriversPartsAddUpToTheirWholeShare()
    {
        var state = Captured();
        var driverParts = 0L;
        foreach (var (id, amount) in new[] { ("rf_1", 333L), ("rf_2", 333L), ("rf_3", 334L) })
        {
            state = Accept(state, new RequestRefund(id, amount)).State;
            var done = Accept(state, new RefundSucceeded(id));
            driverParts += Ledger(done).Single().AmountOn(LedgerAccounts.DriverPayable("mb_driver"));
            state = done.State;
        }

        Assert.Equal(850, driverParts);
        Assert.Equal(Price, state.RefundedDone);
        Assert.Equal("refund-exceeds-captured", Assert.IsType<Decision<Escrow>.Rejected>(Decider.Decide(state, new RequestRefund("rf_4", 1), Later)).Rejection.Code);
    }

    [Fact]
    public void GivenARefundAskedFor_WhenTheSameIdComesAgain_ThenItIsOneRefundAndAnotherAmountIsRefused()
    {
        var asked = Accept(Captured(), new RequestRefund("rf_1", 100)).State;

        Assert.IsType<Decision<Escrow>.Unchanged>(Decider.Decide(asked, new RequestRefund("rf_1", 100), Later));
        Assert.Equal("refund-key-reused", Assert.IsType<Decision<Escrow>.Rejected>(Decider.Decide(asked, new RequestRefund("rf_1", 200), Later)).Rejection.Code);
    }

    [Fact]
    public void GivenACompletedRide_WhenTipped_ThenTheTipIsChargedOnceAndAllOfItIsTheDrivers()
    {
        var asked = Accept(Captured(), new AddTip("tip_1", 300));
        var charged = Accept(asked.State, new TipCharged("tip_1"));

        Assert.Equal(new ChargeTip("tip_1", 300, "GBP", "cus_1", "pm_1", "rd_1"), Assert.Single(asked.Effects));
        Assert.Equal(-300, Ledger(charged).Single().AmountOn(LedgerAccounts.DriverPayable("mb_driver")));
        Assert.IsType<Decision<Escrow>.Unchanged>(Decider.Decide(charged.State, new AddTip("tip_1", 300), Later));
        Assert.Equal("already-tipped", Assert.IsType<Decision<Escrow>.Rejected>(Decider.Decide(charged.State, new AddTip("tip_2", 300), Later)).Rejection.Code);
    }

    [Fact]
    public void GivenANoShowFeeCharged_WhenTheRiderTries_ThenThereIsNoTip()
    {
        var noShow = Given(new OpenEscrow(Terms), new PaymentAuthorised(1, Intent, Hold, CaptureBefore), new RideOver(RideStatus.NoShow, 500), new PaymentCaptured(Intent, 500));

        Assert.Equal("tip-not-allowed", Assert.IsType<Decision<Escrow>.Rejected>(Decider.Decide(noShow, new AddTip("tip_1", 100), Later)).Rejection.Code);
    }

    [Theory]
    [InlineData(true, DisputeLossPolicy.Absorb, 850)]
    [InlineData(false, DisputeLossPolicy.Absorb, 850)]
    [InlineData(false, DisputeLossPolicy.Recover, 0)]
    public void GivenADispute_WhenItCloses_ThenTheFrozenShareGoesBackToTheDriverUnlessALossIsRecovered(bool won, DisputeLossPolicy policy, long driverGetsBack)
    {
        var decider = new EscrowDecider(EscrowRules.Default with { DisputeLosses = policy });
        var opened = Assert.IsType<Decision<Escrow>.Accepted>(decider.Decide(Captured(), new DisputeOpened("dp_1", Price), Later));
        var closed = Assert.IsType<Decision<Escrow>.Accepted>(decider.Decide(opened.State, new DisputeClosed("dp_1", won), Later.AddDays(1)));

        var balances = Balances.Of([.. Ledger(opened), .. Ledger(closed)]);
        Assert.Equal(850, -Ledger(opened).Single().AmountOn(LedgerAccounts.DriverHeld("mb_driver")));
        Assert.Equal(0, balances.Held("mb_driver", "GBP"));
        Assert.Equal(driverGetsBack, balances.Payable("mb_driver", "GBP") + 850);
        Assert.Equal(won ? 0 : Price - (850 - driverGetsBack), balances[LedgerAccounts.DisputeLosses, "GBP"]);
        Assert.IsType<Decision<Escrow>.Unchanged>(decider.Decide(closed.State, new DisputeClosed("dp_1", won), Later.AddDays(2)));
    }
}
