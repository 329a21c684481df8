using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Invocation;

internal enum InvocationOutcome
{
    Succeeded,

    /// <summary>The function threw (or the worker could not bind its inputs).</summary>
    Failed,

    Cancelled,

    /// <summary>The worker exited or its stream broke before it answered.</summary>
    WorkerLost,
}

internal sealed record InvocationResult(InvocationOutcome Outcome, InvocationResponse? Response, string? Error)
{
    public bool Succeeded => Outcome == InvocationOutcome.Succeeded;
}
