using System.Collections.Concurrent;

namespace Atlas.LocalHost.Invocation;

/// <summary>Invocation id → function name, so worker log lines can say which function wrote them.</summary>
internal sealed class InFlightInvocations
{
    private readonly ConcurrentDictionary<string, string> _functionNames = new();

    public void Add(string invocationId, string functionName) => _functionNames[invocationId] = functionName;

    public void Remove(string invocationId) => _functionNames.TryRemove(invocationId, out _);

    public string? FunctionNameOf(string invocationId) => _functionNames.GetValueOrDefault(invocationId);
}
