using System.Globalization;
using Cronos;

namespace Atlas.LocalHost.Timers;

/// <summary>
/// A timer trigger's schedule: an NCRONTAB expression (six fields with seconds; five without) read by Cronos,
/// or a constant <c>hh:mm:ss</c> interval.
/// </summary>
internal abstract class TimerSchedule
{
    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public abstract DateTimeOffset Next(DateTimeOffset after);

    public static TimerSchedule Parse(string expression, TimeZoneInfo timeZone)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6)
        {
            var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            return new Cron(CronExpression.Parse(expression, format), timeZone);
        }

        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new Constant(interval);
        }

        throw new FormatException($"'{expression}' is neither an NCRONTAB expression nor a positive hh:mm:ss interval.");
    }

    private sealed class Cron(CronExpression expression, TimeZoneInfo timeZone) : TimerSchedule
    {
        public override DateTimeOffset Next(DateTimeOffset after) =>
            expression.GetNextOccurrence(after, timeZone)
            ?? throw new InvalidOperationException($"The schedule '{expression}' has no occurrence after {after:o}.");

        public override string ToString() => expression.ToString();
    }

    private sealed class Constant(TimeSpan interval) : TimerSchedule
    {
        public override DateTimeOffset Next(DateTimeOffset after) => after + interval;

        public override string ToString() => $"every {interval}";
    }
}
