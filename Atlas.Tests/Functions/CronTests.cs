using Atlas.Functions.Hosting;

namespace Atlas.Tests.Functions;

public sealed class CronTests
{
    [Theory]
    [InlineData(1, "*/1 * * * * *")]
    [InlineData(15, "*/15 * * * * *")]
    [InlineData(60, "0 */1 * * * *")]
    [InlineData(300, "0 */5 * * * *")]
    [InlineData(3600, "0 0 */1 * * *")]
    [InlineData(6 * 3600, "0 0 */6 * * *")]
    [InlineData(86400, "0 0 0 * * *")]
    public void An_interval_that_divides_evenly_becomes_a_six_field_schedule(int seconds, string expected)
    {
        Assert.Equal(expected, Cron.FromInterval(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(90)]
    [InlineData(7 * 3600)]
    [InlineData(2 * 86400)]
    [InlineData(0)]
    public void An_interval_that_cannot_repeat_evenly_is_refused(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cron.FromInterval(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void A_fraction_of_a_second_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cron.FromInterval(TimeSpan.FromMilliseconds(1500)));
    }
}
