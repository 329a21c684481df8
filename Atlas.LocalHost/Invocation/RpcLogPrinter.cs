using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Rpc;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Invocation;

/// <summary>Prints the worker's RpcLog messages through the host log.</summary>
/// <remarks>
/// Worker 2.52 sends category, level, message, event id and exception; of the logger's scopes it sends only
/// the invocation id. So the scope printed is that id, the function it belongs to, and any properties map.
/// </remarks>
internal sealed class RpcLogPrinter(HostLog log, InFlightInvocations inFlight)
{
    public void Print(StreamingMessage message)
    {
        if (message.ContentCase != StreamingMessage.ContentOneofCase.RpcLog)
        {
            return;
        }

        var rpcLog = message.RpcLog;
        var scope = new List<KeyValuePair<string, string>>();
        if (rpcLog.InvocationId.Length > 0)
        {
            scope.Add(new("InvocationId", rpcLog.InvocationId));
            if (inFlight.FunctionNameOf(rpcLog.InvocationId) is { } functionName)
            {
                scope.Add(new("Function", functionName));
            }
        }

        foreach (var (key, value) in rpcLog.PropertiesMap)
        {
            scope.Add(new(key, TypedDataValues.Describe(value)));
        }

        var exception = rpcLog.Exception is { } error && error.Message.Length > 0
            ? $"{error.Type}: {error.Message}{Environment.NewLine}{error.StackTrace}".TrimEnd()
            : null;

        log.Write(ToLogLevel(rpcLog.Level), rpcLog.Category.Length > 0 ? rpcLog.Category : "Worker", rpcLog.Message, scope, exception);
    }

    private static LogLevel ToLogLevel(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };
}
