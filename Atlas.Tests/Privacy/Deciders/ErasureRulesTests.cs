using Atlas.Core.Privacy;

namespace Atlas.Tests.Privacy.Deciders;

/// <summary>When an account may be erased: never while a ride, a booking or a driver's money is under way, nor a phone
/// the settings make a platform admin; each refusal names its rule.</summary>
public sealed class ErasureRulesTests
{
    private static readonly ErasureFacts Quiet = new(false, null, [], []);

    [Fact]
    public void GivenARiderWithNothingUnderWay_WhenErasureIsAsked_ThenItMayGoAhead()
    {
        Assert.Null(ErasureRules.Refusal(Quiet));
    }

    [Fact]
    public void GivenADriverPaidUpWithOnlyWhatTheyOweBack_WhenErasureIsAsked_ThenItMayGoAhead()
    {
        Assert.Null(ErasureRules.Refusal(Quiet with { Earnings = [new("GBP", 0, 0), new("EUR", -250, 0)] }));
    }

    [Fact]
    public void GivenAPlatformAdmin_WhenErasureIsAsked_ThenRefusedUntilTheSettingsDropThePhone()
    {
        var refusal = ErasureRules.Refusal(Quiet with { IsPlatformAdmin = true });

        Assert.Equal("platform-admin", refusal?.Code);
        Assert.Contains("Auth:PlatformAdmins", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenADriverOnARide_WhenErasureIsAsked_ThenRefusedNamingTheRide()
    {
        var refusal = ErasureRules.Refusal(Quiet with { ActiveRideId = "rd_1-1" });

        Assert.Equal("active-ride", refusal?.Code);
        Assert.Contains("rd_1-1", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenARiderWaitingOnABooking_WhenErasureIsAsked_ThenRefusedNamingTheBooking()
    {
        var refusal = ErasureRules.Refusal(Quiet with { OpenBookingIds = ["bk_1", "bk_2"] });

        Assert.Equal("active-booking", refusal?.Code);
        Assert.Contains("bk_1", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenADriverOwedMoney_WhenErasureIsAsked_ThenRefusedSayingHowMuchIsUnpaid()
    {
        var refusal = ErasureRules.Refusal(Quiet with { Earnings = [new("EUR", 0, 0), new("GBP", 1_275, 0)] });

        Assert.Equal("unpaid-earnings", refusal?.Code);
        Assert.Contains("1275 GBP", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenADriverWithEarningsHeldByADispute_WhenErasureIsAsked_ThenRefusedUntilTheDisputeCloses()
    {
        var refusal = ErasureRules.Refusal(Quiet with { Earnings = [new("GBP", -100, 800)] });

        Assert.Equal("unpaid-earnings", refusal?.Code);
        Assert.Contains("800 GBP held by an open dispute", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenSeveralRulesBroken_WhenErasureIsAsked_ThenTheRideIsNamedFirst()
    {
        var refusal = ErasureRules.Refusal(new ErasureFacts(false, "rd_1-1", ["bk_1"], [new("GBP", 500, 0)]));

        Assert.Equal("active-ride", refusal?.Code);
    }
}
