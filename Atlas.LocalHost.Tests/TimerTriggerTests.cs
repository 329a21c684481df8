using System.Globalization;
using System.Text.RegularExpressions;
using Atlas.LocalHost.Tests.Infrastructure;

namespace Atlas.LocalHost.Tests;

[Collection(HostCollection.Name)]
public sealed partial class TimerTriggerTests(HostFixture fixture)
{
    [Fact]
    public async Task A_timer_fires_once_per_occurrence_of_its_schedule_with_its_schedule_status()
    {
        // TickSchedule is "*/2 * * * * *": every even second.
        var ticks = await fixture.Log.WaitForAsync(line => line.Contains("SampleWorker.Tick: Tick (", StringComparison.Ordinal), TimeSpan.FromSeconds(15), count: 3);

        var statuses = ticks.Select(line => TickLine().Match(line)).Select(match => new
        {
            IsPastDue = bool.Parse(match.Groups["pastDue"].Value),
            Last = match.Groups["last"].Value,
            Next = DateTimeOffset.Parse(match.Groups["next"].Value, CultureInfo.InvariantCulture),
        }).ToList();

        Assert.All(statuses, status => Assert.False(status.IsPastDue));
        Assert.All(statuses, status => Assert.Equal(0, status.Next.Second % 2));
        Assert.Equal(statuses.Count, statuses.Select(status => status.Next).Distinct().Count());
        Assert.All(statuses.Zip(statuses.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(2), pair.Second.Next - pair.First.Next));

        // Last is when the previous occurrence actually fired: at its due time or a moment after.
        var last = DateTimeOffset.Parse(statuses[2].Last, CultureInfo.InvariantCulture);
        Assert.InRange(last, statuses[1].Next, statuses[1].Next.AddSeconds(1));
    }

    [Fact]
    public async Task A_run_on_startup_timer_fires_once_when_the_host_starts()
    {
        await fixture.Log.WaitForAsync(line => line.Contains("Warm-up ran (IsPastDue=False)", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.Single(fixture.Log.Lines, line => line.Contains("Executing 'Functions.WarmUp'", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Tick \(IsPastDue=(?<pastDue>\w+), Last=(?<last>[^,]+), Next=(?<next>[^)]+)\)")]
    private static partial Regex TickLine();
}
