using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Logging;

/// <summary>Routes the logs of libraries the host runs (DTFx, the Durable gRPC API) into the host log and its filter.</summary>
internal sealed class HostLoggerProvider(HostLog log) : ILoggerProvider
{
    public static ILoggerFactory CreateFactory(HostLog log) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new HostLoggerProvider(log)));

    public ILogger CreateLogger(string categoryName) => new HostLogger(log, categoryName);

    public void Dispose()
    {
    }

    private sealed class HostLogger(HostLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => log.IsEnabled(category, logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Write(logLevel, category, formatter(state, exception), exception: exception?.ToString());
            }
        }
    }
}
