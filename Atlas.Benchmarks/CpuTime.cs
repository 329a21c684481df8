using System.Diagnostics;

namespace Atlas.Benchmarks;

/// <summary>CPU time used by this process (the app and its load generator) and by Azurite (node), to say
/// which of the two a figure is bound by.</summary>
public readonly record struct CpuTime(TimeSpan App, TimeSpan Azurite)
{
    public static CpuTime Now() => new(
        Process.GetCurrentProcess().TotalProcessorTime,
        Process.GetProcessesByName("node").Aggregate(TimeSpan.Zero, (sum, p) => sum + p.TotalProcessorTime));

    /// <summary>Each Azurite service's CPU time, by the service its process runs (azurite-table, …; "azurite" for all
    /// three in one process, "node" for any other Node process).</summary>
    public static Dictionary<string, TimeSpan> ByAzuriteService() =>
        Process.GetProcessesByName("node")
            .GroupBy(ServiceOf)
            .ToDictionary(g => g.Key, g => g.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.TotalProcessorTime));

    private static string ServiceOf(Process node)
    {
        try
        {
            var command = File.ReadAllText($"/proc/{node.Id}/cmdline");
            return new[] { "table", "queue", "blob" }.FirstOrDefault(s => command.Contains($"azurite-{s}", StringComparison.Ordinal) || command.Contains($"{s}/main.js", StringComparison.Ordinal)) is { } service
                ? "azurite-" + service
                : command.Contains("azurite", StringComparison.Ordinal) ? "azurite" : "node";
        }
        catch (IOException)
        {
            return "node";
        }
        catch (UnauthorizedAccessException)
        {
            return "node";
        }
    }

    public CpuTime Since()
    {
        var now = Now();
        return new CpuTime(now.App - App, now.Azurite - Azurite);
    }

    public string PerOperation(long operations) =>
        $"app and load generator {App.TotalMilliseconds / operations:F2} ms, Azurite {Azurite.TotalMilliseconds / operations:F2} ms";
}
