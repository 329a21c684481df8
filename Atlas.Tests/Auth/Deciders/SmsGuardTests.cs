using Atlas.Core.Auth;

namespace Atlas.Tests.Auth.Deciders;

/// <summary>The SMS guard's rule: budgets per calling code and in all per clock hour, and a trickle for a calling code
/// whose codes are not being verified.</summary>
public sealed class SmsGuardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 41, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset NextMinute = new(2026, 11, 22, 9, 42, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NextHour = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly SmsGuard _guard = new(new SmsGuardRules(
        HourlyPerCallingCode: 100, HourlyTotal: 300, ConversionWindow: TimeSpan.FromMinutes(10), MinVolume: 20, MinConversion: 0.25, TricklePerMinute: 2));

    private SmsVerdict When(SmsTally given) => _guard.Decide(given, Now);

    [Fact]
    public void GivenNothingSent_WhenATextIsAsked_ThenItGoes()
    {
        Assert.IsType<SendText>(When(SmsTally.None));
    }

    [Fact]
    public void GivenTheCallingCodesHourSpent_WhenATextIsAsked_ThenHeldForTheBudgetUntilTheHourEnds()
    {
        var held = Assert.IsType<HoldText>(When(SmsTally.None with { SentThisHour = 100, SentThisHourInAll = 100 }));

        Assert.Equal(new HoldText(SmsHoldReason.Budget, NextHour), held);
    }

    [Fact]
    public void GivenOneTextLeftInTheCallingCodesHour_WhenATextIsAsked_ThenItGoes()
    {
        Assert.IsType<SendText>(When(SmsTally.None with { SentThisHour = 99, SentThisHourInAll = 99 }));
    }

    [Fact]
    public void GivenTheHourSpentInAll_WhenATextToAQuietCallingCodeIsAsked_ThenHeldForTheTotalUntilTheHourEnds()
    {
        var held = Assert.IsType<HoldText>(When(SmsTally.None with { SentThisHour = 3, SentThisHourInAll = 300 }));

        Assert.Equal(new HoldText(SmsHoldReason.TotalBudget, NextHour), held);
    }

    [Fact]
    public void GivenEnoughSentAndTooFewVerified_WhenThisMinutesTrickleIsUsed_ThenHeldForConversionUntilTheNextMinute()
    {
        var given = SmsTally.None with { SentInWindow = 40, VerifiedInWindow = 9, SentThisMinute = 2, SentThisHour = 40, SentThisHourInAll = 40 };

        Assert.True(_guard.IsThrottled(given));
        Assert.Equal(new HoldText(SmsHoldReason.Conversion, NextMinute), When(given));
    }

    [Fact]
    public void GivenAThrottledCallingCode_WhenThisMinutesTrickleIsNotUsed_ThenItGoes()
    {
        Assert.IsType<SendText>(When(SmsTally.None with { SentInWindow = 40, VerifiedInWindow = 0, SentThisMinute = 1, SentThisHour = 40, SentThisHourInAll = 40 }));
    }

    [Fact]
    public void GivenAThrottledCallingCodeWithItsTrickleLeft_WhenItsHourIsSpent_ThenHeldForTheBudget()
    {
        var given = SmsTally.None with { SentInWindow = 40, SentThisMinute = 0, SentThisHour = 100, SentThisHourInAll = 100 };

        Assert.Equal(SmsHoldReason.Budget, Assert.IsType<HoldText>(When(given)).Reason);
    }

    [Fact]
    public void GivenTooFewVerifiedButTooFewSent_WhenATextIsAsked_ThenNotJudgedYet()
    {
        var given = SmsTally.None with { SentInWindow = 19, VerifiedInWindow = 0, SentThisMinute = 19, SentThisHour = 19, SentThisHourInAll = 19 };

        Assert.False(_guard.IsThrottled(given));
        Assert.IsType<SendText>(When(given));
    }

    [Fact]
    public void GivenConversionAtTheThreshold_WhenATextIsAsked_ThenNotThrottled()
    {
        var given = SmsTally.None with { SentInWindow = 40, VerifiedInWindow = 10, SentThisMinute = 30, SentThisHour = 40, SentThisHourInAll = 40 };

        Assert.False(_guard.IsThrottled(given));
        Assert.IsType<SendText>(When(given));
    }

    [Fact]
    public void GivenAGuardWithNoTrickle_WhenTheCallingCodeIsThrottled_ThenNothingGoes()
    {
        var guard = new SmsGuard(_guard.Rules with { TricklePerMinute = 0 });

        var held = guard.Decide(SmsTally.None with { SentInWindow = 40, SentThisHour = 40, SentThisHourInAll = 40 }, Now);

        Assert.Equal(SmsHoldReason.Conversion, Assert.IsType<HoldText>(held).Reason);
    }

    [Theory]
    [InlineData("09:41:00", true)]
    [InlineData("09:32:00", true)]
    [InlineData("09:31:00", false)]
    [InlineData("08:59:00", false)]
    [InlineData("09:42:00", false)]
    public void TheWindowIsTheCurrentMinuteAndTheOnesBeforeItAsManyAsItHas(string minute, bool inWindow)
    {
        var at = new DateTimeOffset(Now.Date.Add(TimeSpan.Parse(minute, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.Zero);

        Assert.Equal(inWindow, _guard.InWindow(at, Now));
    }

    [Fact]
    public void MinutesAndHoursAreUtcClockOnes()
    {
        var local = new DateTimeOffset(2026, 11, 22, 11, 41, 30, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 41, 0, TimeSpan.Zero), SmsGuard.MinuteOf(local));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), SmsGuard.HourOf(local));
    }
}
