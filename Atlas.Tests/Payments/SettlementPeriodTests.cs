using Atlas.Core.Settlement;

namespace Atlas.Tests.Payments;

public sealed class SettlementPeriodTests
{
    [Theory]
    [InlineData("2026-11-22T13:45:10Z", 1440, "2026-11-22")]
    [InlineData("2026-11-22T00:00:00Z", 1440, "2026-11-22")]
    [InlineData("2026-11-22T13:45:10Z", 360, "2026-11-22T12:00")]
    [InlineData("2026-11-22T13:45:10Z", 15, "2026-11-22T13:45")]
    public void A_moment_falls_in_the_period_its_schedule_aligns_to_midnight(string at, int minutes, string id)
    {
        var period = SettlementPeriod.Containing(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(minutes));

        Assert.Equal(id, period.Id);
        Assert.Equal(TimeSpan.FromMinutes(minutes), period.End - period.Start);
        Assert.Equal(period, SettlementPeriod.Parse(id, TimeSpan.FromMinutes(minutes)));
    }

    [Theory]
    [InlineData("2026-11-22T13:40", 360)]
    [InlineData("2026-13-01", 1440)]
    [InlineData("yesterday", 1440)]
    [InlineData("2026-11-22T12:00", 1440)]
    public void An_id_that_is_not_a_period_start_of_the_schedule_is_not_a_period(string id, int minutes) =>
        Assert.Null(SettlementPeriod.Parse(id, TimeSpan.FromMinutes(minutes)));

    [Theory]
    [InlineData(1440, true)]
    [InlineData(360, true)]
    [InlineData(7, false)]
    [InlineData(2880, false)]
    [InlineData(0, false)]
    public void A_schedule_is_a_day_or_divides_one(int minutes, bool valid) =>
        Assert.Equal(valid, SettlementPeriod.IsValidLength(TimeSpan.FromMinutes(minutes)));
}
