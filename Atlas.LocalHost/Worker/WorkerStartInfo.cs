using Atlas.LocalHost.Configuration;

namespace Atlas.LocalHost.Worker;

/// <summary>What every worker launch of one app shares.</summary>
internal sealed record WorkerStartInfo(FunctionApp App, AppSettings Settings, string EnvironmentName, Uri RpcAddress, TimeSpan StartTimeout);
