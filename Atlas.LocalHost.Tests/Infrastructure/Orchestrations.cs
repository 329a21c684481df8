using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace Atlas.LocalHost.Tests.Infrastructure;

/// <summary>The sample's greeting orchestration driven over HTTP, and its instances watched through the Durable client.</summary>
public static class Orchestrations
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Starts a greeting through the sample's [DurableClient] HTTP function; returns the instance id.</summary>
    public static async Task<string> StartGreetingAsync(HttpClient http, string name, double waitSeconds, bool fail = false)
    {
        var query = $"wait={waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(fail ? "&fail" : string.Empty)}";
        using var response = await http.PostAsync($"api/greetings/{name}?{query}", content: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("instanceId").GetString()!;
    }

    /// <summary>Polls the instance until it matches, or fails at the deadline with its last state.</summary>
    public static async Task<OrchestrationMetadata> WaitForAsync(
        DurableTaskClient client,
        string instanceId,
        Func<OrchestrationMetadata, bool> done,
        TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        OrchestrationMetadata? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(Poll);
        }

        throw new TimeoutException($"Instance {instanceId} did not get there within {timeout}; last status {last?.RuntimeStatus.ToString() ?? "(none)"}.");
    }

    public static Task<OrchestrationMetadata> WaitForCompletionAsync(DurableTaskClient client, string instanceId, TimeSpan timeout) =>
        WaitForAsync(client, instanceId, instance => instance.IsCompleted, timeout);

    /// <summary>Running means the orchestrator has run once and is now waiting (for its timer or event).</summary>
    public static Task<OrchestrationMetadata> WaitForRunningAsync(DurableTaskClient client, string instanceId, TimeSpan timeout) =>
        WaitForAsync(client, instanceId, instance => instance.RuntimeStatus == OrchestrationRuntimeStatus.Running, timeout);
}
