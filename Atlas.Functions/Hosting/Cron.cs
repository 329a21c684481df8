using System.Globalization;

namespace Atlas.Functions.Hosting;

/// <summary>Turns a timer's interval into the six-field NCRONTAB schedule the Functions host reads
/// (TimeSpan schedules work only on App Service plans, not on Flex Consumption).</summary>
public static class Cron
{
    public static string FromInterval(TimeSpan every)
    {
        if (every.Ticks % TimeSpan.TicksPerSecond != 0 || every <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, "A timer interval is a whole number of seconds.");
        }

        var seconds = (long)every.TotalSeconds;
        return seconds switch
        {
            < 60 when 60 % seconds == 0 => Format($"*/{seconds} * * * * *"),
            < 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => Format($"0 */{seconds / 60} * * * *"),
            < 86400 when seconds % 3600 == 0 && 24 % (seconds / 3600) == 0 => Format($"0 0 */{seconds / 3600} * * *"),
            86400 => "0 0 0 * * *",
            _ => throw new ArgumentOutOfRangeException(
                nameof(every), every, "A timer interval must divide a minute, an hour or a day evenly, or be one day."),
        };
    }

    private static string Format(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
