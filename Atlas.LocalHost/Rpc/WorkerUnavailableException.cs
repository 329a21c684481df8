namespace Atlas.LocalHost.Rpc;

/// <summary>The worker's stream closed (the process exited or was stopped) before it answered.</summary>
public sealed class WorkerUnavailableException(string message) : Exception(message);
