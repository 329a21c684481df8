using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Invocation;

/// <summary>One call of a function, described without reference to a worker (ids differ between workers).</summary>
internal sealed record FunctionInvocation(
    string FunctionName,
    string InvocationId,
    string Reason,
    IReadOnlyList<ParameterBinding> Inputs,
    IReadOnlyDictionary<string, TypedData> TriggerMetadata)
{
    public static string NewId() => Guid.NewGuid().ToString();
}
