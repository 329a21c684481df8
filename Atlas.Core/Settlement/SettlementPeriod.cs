using System.Globalization;

namespace Atlas.Core.Settlement;

/// <summary>
/// A settlement period: a window of the schedule's length, aligned to midnight UTC. Its id is its start
/// ("2026-11-21" for a day, "2026-11-21T06:00" for shorter periods). A driver gets at most one transfer per period.
/// </summary>
public sealed record SettlementPeriod(string Id, DateTimeOffset Start, DateTimeOffset End)
{
    private const string DayFormat = "yyyy-MM-dd";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>The period containing <paramref name="at"/>.</summary>
    public static SettlementPeriod Containing(DateTimeOffset at, TimeSpan length)
    {
        var utc = at.ToUniversalTime();
        var day = new DateTimeOffset(utc.Date, TimeSpan.Zero);
        var start = day + TimeSpan.FromTicks(length.Ticks * ((utc - day).Ticks / length.Ticks));
        return new SettlementPeriod(Name(start, length), start, start + length);
    }

    /// <summary>The period an id names, if it is one of the schedule's.</summary>
    public static SettlementPeriod? Parse(string id, TimeSpan length)
    {
        var format = length >= TimeSpan.FromDays(1) ? DayFormat : TimeFormat;
        return DateTimeOffset.TryParseExact(id, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            && Containing(start, length) is { } period && period.Start == start
                ? period
                : null;
    }

    public static bool IsValidLength(TimeSpan length) =>
        length >= TimeSpan.FromMinutes(1) && (length == TimeSpan.FromDays(1) || (length < TimeSpan.FromDays(1) && TimeSpan.FromDays(1).Ticks % length.Ticks == 0));

    private static string Name(DateTimeOffset start, TimeSpan length) =>
        start.ToString(length >= TimeSpan.FromDays(1) ? DayFormat : TimeFormat, CultureInfo.InvariantCulture);
}
