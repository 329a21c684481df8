using Atlas.Core.Settlement;

namespace Atlas.Functions.Settlement;

/// <summary>The Settlement section: how often drivers are paid (one transfer each per period) and how many drivers
/// are settled at once.</summary>
public sealed class SettlementOptions
{
    public const string Section = "Settlement";

    /// <summary>The period length: a day by default, or a length that divides a day.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The settlement timer's NCRONTAB schedule: once as each period ends (for a day, midnight UTC).</summary>
    public string Schedule { get; set; } = "0 0 0 * * *";

    /// <summary>Activities settling drivers at once (a few drivers each, one transfer at a time).</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>How long <c>POST /api/settlements</c> waits for the run before answering 202.</summary>
    public TimeSpan WaitFor { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<string> Problems()
    {
        if (!SettlementPeriod.IsValidLength(Every))
        {
            yield return "Settlement:Every is one day, or a whole number of minutes that divides a day.";
        }

        else if (Schedule != Hosting.Cron.FromInterval(Every))
        {
            yield return $"Settlement:Schedule fires the settlement timer as each period ends: for Settlement:Every {Every} it is '{Hosting.Cron.FromInterval(Every)}'.";
        }

        if (Parallelism is < 1 or > 64)
        {
            yield return "Settlement:Parallelism is 1 to 64.";
        }

        if (WaitFor < TimeSpan.Zero || WaitFor > TimeSpan.FromMinutes(4))
        {
            yield return "Settlement:WaitFor is 0 to 4 minutes (an HTTP request may not wait longer).";
        }
    }
}
