using System.Diagnostics;

namespace Atlas.Benchmarks;

/// <summary>CPU time used by this process (the app and its load generator) and by Azurite (node), to say
/// which of the two a figure is bound by.</summary>
public readonly record struct CpuTime(TimeSpan App, TimeSpan Azurite)
{
    public static CpuTime Now() => new(
        Process.GetCurrentProcess().TotalProcessorTime,
        Process.GetProcessesByName("node").Aggregate(TimeSpan.Zero, (sum, p) => sum + p.TotalProcessorTime));

    public CpuTime Since()
    {
        var now = Now();
        return new CpuTime(now.App - App, now.Azurite - Azurite);
    }

    public string PerOperation(long operations) =>
        $"app and load generator {App.TotalMilliseconds / operations:F2} ms, Azurite {Azurite.TotalMilliseconds / operations:F2} ms";
}
