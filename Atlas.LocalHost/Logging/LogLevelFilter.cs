using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Logging;

/// <summary>
/// host.json's <c>logging.logLevel</c>: the longest matching category prefix wins, then <c>default</c>.
/// </summary>
internal sealed class LogLevelFilter
{
    // The worker forwards every ASP.NET Core and gRPC log it writes; without host.json saying otherwise,
    // keep those (and the host's own libraries) to warnings so the console shows what the functions say.
    private static readonly IReadOnlyDictionary<string, LogLevel> QuietByDefault = new Dictionary<string, LogLevel>
    {
        ["Microsoft"] = LogLevel.Warning,
        ["System"] = LogLevel.Warning,
        ["Grpc"] = LogLevel.Warning,

        // The Durable engine (DTFx) logs every dispatch and lease at Information.
        ["DurableTask"] = LogLevel.Warning,
    };

    private readonly IReadOnlyList<KeyValuePair<string, LogLevel>> _rules;
    private readonly LogLevel _default;

    public LogLevelFilter(IReadOnlyDictionary<string, LogLevel> levels)
    {
        var merged = new Dictionary<string, LogLevel>(QuietByDefault, StringComparer.OrdinalIgnoreCase);
        foreach (var (category, level) in levels)
        {
            merged[category] = level;
        }

        _default = merged.Remove("default", out var configuredDefault) ? configuredDefault : LogLevel.Information;
        _rules = [.. merged.OrderByDescending(rule => rule.Key.Length)];
    }

    public static LogLevelFilter Default { get; } = new(new Dictionary<string, LogLevel>());

    public bool IsEnabled(string category, LogLevel level)
    {
        foreach (var (prefix, minimum) in _rules)
        {
            if (category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return level >= minimum && level != LogLevel.None;
            }
        }

        return level >= _default && level != LogLevel.None;
    }
}
