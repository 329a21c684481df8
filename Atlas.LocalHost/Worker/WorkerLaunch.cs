using System.Globalization;

namespace Atlas.LocalHost.Worker;

/// <summary>
/// Everything a worker is started with, as the real host starts it: the app's entry assembly, the
/// <c>--functions-*</c> arguments and the environment (the app's settings plus the FUNCTIONS_* variables).
/// </summary>
public sealed record WorkerLaunch(
    string WorkerId,
    string AppDirectory,
    string AssemblyPath,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment)
{
    internal static WorkerLaunch Create(WorkerStartInfo info, string workerId)
    {
        // Worker 2.x reads only the --functions-* names (Functions:Worker:HostEndpoint, ...). The message
        // length is mandatory: left out it is 0 and StartStream fails with ResourceExhausted.
        string[] arguments =
        [
            "--functions-uri", info.RpcAddress.AbsoluteUri,
            "--functions-worker-id", workerId,
            "--functions-request-id", Guid.NewGuid().ToString(),
            "--functions-grpc-max-message-length", int.MaxValue.ToString(CultureInfo.InvariantCulture),
        ];

        var environment = new Dictionary<string, string>(info.Settings.Values, StringComparer.Ordinal)
        {
            // After the app's settings, so they cannot point the worker somewhere else. Without
            // FUNCTIONS_APPLICATION_DIRECTORY every HTTP request fails ("Cannot determine script root directory").
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = info.App.Directory,
            ["FUNCTIONS_WORKER_DIRECTORY"] = info.App.Directory,
            ["AzureWebJobsScriptRoot"] = info.App.Directory,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = info.EnvironmentName,
        };

        return new WorkerLaunch(workerId, info.App.Directory, info.App.AssemblyPath, arguments, environment);
    }
}
