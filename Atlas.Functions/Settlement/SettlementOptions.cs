using Atlas.Core.Settlement;

namespace Atlas.Functions.Settlement;

/// <summary>The Settlement section: how often drivers are paid (one transfer each per period) and how many drivers
/// are settled at once.</summary>
public sealed class SettlementOptions
{
    public const string Section = "Settlement";

    /// <summary>The period length and the timer's interval: a day by default, or a length that divides a day.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromDays(1);

    public int Parallelism { get; set; } = 16;

    public IEnumerable<string> Problems()
    {
        if (!SettlementPeriod.IsValidLength(Every))
        {
            yield return "Settlement:Every is one day, or a whole number of minutes that divides a day.";
        }

        if (Parallelism is < 1 or > 64)
        {
            yield return "Settlement:Parallelism is 1 to 64.";
        }
    }
}
