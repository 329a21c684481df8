using Atlas.Core.Bookings;
using Atlas.Core.Common;
using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using static Atlas.Tests.Payments.Deciders.EscrowFixtures;

namespace Atlas.Tests.Payments.Deciders;

/// <summary>The escrow's opening: the award's price on the rider's card as it is now, with the fee of the driver's
/// company as it is now (or the platform's), run through the escrow's decider to show where it leads.</summary>
public sealed class EscrowOpeningRulesTests
{
    private static readonly HoldPayment Hold = new("rd_1", "usr_rider", "mb_driver", "usr_driver", "co_1", Price, "GBP");
    private static readonly PlatformFee CompanyFee = new(1_000, 50);
    private static readonly PlatformFee DefaultFee = new(1_500, 0);

    [Fact]
    public void GivenACompanyWithItsOwnFeeAndARiderWithACard_WhenTheHoldIsCarriedOut_ThenTheEscrowOpensWithBothAndAuthorises()
    {
        var open = EscrowOpeningRules.Open(Hold, "bk_1", new OpeningFacts(CompanyFee, DefaultFee, "cus_1", "pm_1"));

        Assert.Equal(Terms with { Fee = CompanyFee }, open.Terms);
        var opened = Assert.IsType<Decision<Escrow>.Accepted>(Decider.Decide(Escrow.None, open, Now));
        Assert.Equal(EscrowStatus.Authorising, opened.State.Status);
    }

    [Fact]
    public void GivenACompanyNotFound_WhenTheHoldIsCarriedOut_ThenThePlatformsFeeFromTheSettingsIsFixed()
    {
        var open = EscrowOpeningRules.Open(Hold, "bk_1", new OpeningFacts(null, DefaultFee, "cus_1", "pm_1"));

        Assert.Equal(DefaultFee, open.Terms.Fee);
    }

    [Fact]
    public void GivenARiderWithoutACard_WhenTheHoldIsCarriedOut_ThenTheEscrowOpensWithoutOneAndDeclines()
    {
        var open = EscrowOpeningRules.Open(Hold, "bk_1", new OpeningFacts(CompanyFee, DefaultFee, null, null));

        Assert.Null(open.Terms.CustomerId);
        Assert.Null(open.Terms.PaymentMethodId);
        var opened = Assert.IsType<Decision<Escrow>.Accepted>(Decider.Decide(Escrow.None, open, Now));
        Assert.Equal(EscrowStatus.Declined, opened.State.Status);
    }

    [Fact]
    public void GivenAnEscrowAlreadyOpen_WhenTheHoldIsRedelivered_ThenNothingChanges()
    {
        var open = EscrowOpeningRules.Open(Hold, "bk_1", new OpeningFacts(CompanyFee, DefaultFee, "cus_1", "pm_1"));

        Assert.IsType<Decision<Escrow>.Unchanged>(Decider.Decide(Authorising(), open, Now.AddMinutes(1)));
    }
}
