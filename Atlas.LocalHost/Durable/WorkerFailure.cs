using System.Text.Json;
using Atlas.LocalHost.Rpc;
using DurableTask.Core;

namespace Atlas.LocalHost.Durable;

/// <summary>A failed invocation's RpcException as DTFx FailureDetails (what the orchestrator and the client see).</summary>
internal static class WorkerFailure
{
    public static FailureDetails Details(RpcException? exception)
    {
        if (exception is null)
        {
            return new FailureDetails("(unknown)", "The worker reported a failure without an exception.", null, null, isNonRetriable: false);
        }

        // Worker.Extensions.DurableTask serialises an activity's exception as JSON into the message, so the host
        // can hand the orchestrator its real type, message and stack.
        if (TryReadSerialized(exception.Message) is { } serialized)
        {
            return serialized;
        }

        // Otherwise "Type: message" on the first line, as the extension splits it (the isolated worker puts the
        // whole exception text in the message).
        var firstLine = exception.Message.Split('\n', 2)[0].TrimEnd();
        var separator = firstLine.IndexOf(": ", StringComparison.Ordinal);
        var (type, message) = exception.Type.Length > 0
            ? (exception.Type, firstLine.StartsWith(exception.Type + ": ", StringComparison.Ordinal) ? firstLine[(exception.Type.Length + 2)..] : firstLine)
            : separator > 0 ? (firstLine[..separator], firstLine[(separator + 2)..]) : ("(unknown)", firstLine);

        return new FailureDetails(type, message, NullIfEmpty(exception.StackTrace), null, isNonRetriable: false);
    }

    private static FailureDetails? TryReadSerialized(string message)
    {
        if (!message.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            return root.TryGetProperty("errorType", out var type) && root.TryGetProperty("errorMessage", out var text)
                ? new FailureDetails(
                    type.GetString() ?? "(unknown)",
                    text.GetString() ?? string.Empty,
                    root.TryGetProperty("stackTrace", out var stack) ? stack.GetString() : null,
                    null,
                    isNonRetriable: false)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string text) => text.Length > 0 ? text : null;
}
