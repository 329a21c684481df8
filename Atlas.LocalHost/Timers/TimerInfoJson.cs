using System.Globalization;
using System.Text.Json;

namespace Atlas.LocalHost.Timers;

/// <summary>
/// The TimerInfo the real host serialises for the worker:
/// <c>{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":…,"Next":…,"LastUpdated":…},"IsPastDue":false}</c>.
/// </summary>
internal static class TimerInfoJson
{
    public static string Create(ScheduleStatus status, bool isPastDue, TimeZoneInfo timeZone)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Schedule");
            json.WriteBoolean("AdjustForDST", true);
            json.WriteEndObject();
            json.WriteStartObject("ScheduleStatus");
            json.WriteString("Last", Format(status.Last, timeZone));
            json.WriteString("Next", Format(status.Next, timeZone));
            json.WriteString("LastUpdated", Format(status.LastUpdated, timeZone));
            json.WriteEndObject();
            json.WriteBoolean("IsPastDue", isPastDue);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    // Times are in the schedule's zone with their offset; "never" is DateTime's default with no offset.
    private static string Format(DateTimeOffset value, TimeZoneInfo timeZone) =>
        value == default
            ? "0001-01-01T00:00:00"
            : TimeZoneInfo.ConvertTime(value, timeZone).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
