using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Invocation;

/// <summary>One call of a function, described without reference to a worker (ids differ between workers).</summary>
/// <param name="TraceParent">The W3C trace the call continues (an HTTP request's <c>traceparent</c>), when this host
/// has no span of its own under way to pass.</param>
internal sealed record FunctionInvocation(
    string FunctionName,
    string InvocationId,
    string Reason,
    IReadOnlyList<ParameterBinding> Inputs,
    IReadOnlyDictionary<string, TypedData> TriggerMetadata,
    string? TraceParent = null)
{
    public static string NewId() => Guid.NewGuid().ToString();
}
