using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Logging;

/// <summary>
/// Writes host and worker log lines to one text writer, shaped like <c>func start</c>'s console:
/// <c>[timestamp] level category: message (Key=Value, ...)</c>.
/// </summary>
internal sealed class HostLog(TextWriter writer, LogLevelFilter filter, TimeProvider timeProvider)
{
    // Lines from the gRPC reader, the worker's stdout and the listeners interleave: one line at a time.
    private readonly Lock _lock = new();

    public bool IsEnabled(string category, LogLevel level) => filter.IsEnabled(category, level);

    public void Write(
        LogLevel level,
        string category,
        string message,
        IReadOnlyList<KeyValuePair<string, string>>? scope = null,
        string? exception = null)
    {
        if (!filter.IsEnabled(category, level))
        {
            return;
        }

        var line = new StringBuilder()
            .Append('[')
            .Append(timeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append("] ")
            .Append(ShortName(level))
            .Append(' ')
            .Append(category)
            .Append(": ")
            .Append(message);

        if (scope is { Count: > 0 })
        {
            line.Append(" (")
                .AppendJoin(", ", scope.Select(pair => $"{pair.Key}={pair.Value}"))
                .Append(')');
        }

        if (!string.IsNullOrEmpty(exception))
        {
            line.AppendLine().Append("      ").Append(exception.Replace("\n", "\n      ", StringComparison.Ordinal));
        }

        lock (_lock)
        {
            writer.WriteLine(line.ToString());
            writer.Flush();
        }
    }

    public void Info(string category, string message) => Write(LogLevel.Information, category, message);

    public void Warn(string category, string message) => Write(LogLevel.Warning, category, message);

    public void Error(string category, string message, Exception? exception = null) =>
        Write(LogLevel.Error, category, message, exception: exception?.ToString());

    private static string ShortName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
