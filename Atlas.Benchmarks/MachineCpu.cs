using System.Globalization;

namespace Atlas.Benchmarks;

/// <summary>How busy the whole machine's cores were (Linux's /proc/stat), to tell a city bound by its own app and
/// Azurite from one squeezed by other work on a shared machine.</summary>
public readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Now()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        // cpu  user nice system idle iowait irq softirq steal …: idle and iowait are the cores' free time.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Take(8).Sum();
        return new MachineCpu(total - ticks[3] - ticks[4], total);
    }

    /// <summary>Cores busy on average since <paramref name="before"/>, by anyone; null where it cannot be read.</summary>
    public double? CoresBusySince(MachineCpu before) =>
        Total > before.Total ? (double)(Busy - before.Busy) / (Total - before.Total) * Environment.ProcessorCount : null;
}
