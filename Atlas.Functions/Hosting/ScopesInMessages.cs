using System.Text;

namespace Atlas.Functions.Hosting;

/// <summary>
/// The worker sends its log lines to the Functions host as messages, and of a line's logging scopes it keeps only the
/// invocation id. Atlas's scopes (the lifecycle, its instance, the effect) say what a line is about, so they travel in
/// the message instead, as <c>[Lifecycle=ride InstanceId=rd_…]</c>: the host's console (and Azure's) shows them.
/// Wraps the worker's own provider; other providers (telemetry) see the scopes as scopes.
/// </summary>
public sealed class ScopesInMessages(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    /// <summary>Scope keys the host already shows on every line; the worker's own (<c>AzureFunctions_*</c>, <c>az.*</c>) are left out too.</summary>
    private static readonly HashSet<string> Shown = new(StringComparer.Ordinal) { "Function", "InvocationId" };

    private IExternalScopeProvider? _scopes;

    /// <summary>Puts the wrapper in place of the worker's provider (registered by FunctionsApplication.CreateBuilder).</summary>
    public static void Wrap(IServiceCollection services)
    {
        var worker = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType?.Name == "WorkerLoggerProvider");
        if (worker is null)
        {
            return;
        }

        services.Remove(worker);
        services.AddSingleton<ILoggerProvider>(sp => new ScopesInMessages((ILoggerProvider)ActivatorUtilities.CreateInstance(sp, worker.ImplementationType!)));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName), this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        _scopes = scopeProvider;
        (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    private string Suffix()
    {
        var text = new StringBuilder();
        _scopes?.ForEachScope(
            (scope, builder) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        if (!Shown.Contains(key) && !key.StartsWith("AzureFunctions_", StringComparison.Ordinal) && !key.StartsWith("az.", StringComparison.Ordinal) && key != "{OriginalFormat}")
                        {
                            builder.Append(builder.Length == 0 ? " [" : " ").Append(key).Append('=').Append(value);
                        }
                    }
                }
            },
            text);
        return text.Length == 0 ? "" : text.Append(']').ToString();
    }

    private sealed class Logger(ILogger inner, ScopesInMessages owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var suffix = owner.Suffix();
            inner.Log(logLevel, eventId, state, exception, suffix.Length == 0 ? formatter : (s, e) => formatter(s, e) + suffix);
        }
    }
}
