using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace SampleWorker;

/// <summary>
/// HTTP around the greeting orchestration through <c>[DurableClient]</c>: start one (the wait defaults to the
/// GreetingWaitSeconds setting), approve it, read its status.
/// </summary>
public static class GreetingApi
{
    [Function("StartGreeting")]
    public static async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "greetings/{name}")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client)
    {
        var wait = double.TryParse(request.Query["wait"], CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : double.Parse(Environment.GetEnvironmentVariable("GreetingWaitSeconds") ?? "30", CultureInfo.InvariantCulture);
        var greeting = new GreetingRequest(name, wait, Fail: request.Query.ContainsKey("fail"));

        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(nameof(Greeting), greeting, request.HttpContext.RequestAborted);
        return new AcceptedResult($"/api/greetings/{instanceId}", new { instanceId });
    }

    [Function("ApproveGreeting")]
    public static async Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "greetings/{instanceId}/approve")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        var approver = request.Query["by"].ToString();
        await client.RaiseEventAsync(instanceId, Greeting.ApproveEvent, approver, request.HttpContext.RequestAborted);
        return new AcceptedResult();
    }

    [Function("GreetingStatus")]
    public static async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "greetings/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, request.HttpContext.RequestAborted);
        return instance is null
            ? new NotFoundResult()
            : new OkObjectResult(new
            {
                instance.InstanceId,
                runtimeStatus = instance.RuntimeStatus.ToString(),
                output = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<string>() : null,

                // The Azure Storage provider keeps a failed instance's error message as its output, not as JSON.
                error = instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? instance.SerializedOutput : null,
            });
    }
}
