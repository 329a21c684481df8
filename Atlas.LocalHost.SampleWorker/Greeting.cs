using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace SampleWorker;

/// <summary>What a greeting orchestration is started with: whom to greet, how long to wait for an approval, and
/// whether the activity should fail (so a test can see a failed orchestration).</summary>
public sealed record GreetingRequest(string Name, double WaitSeconds, bool Fail = false);

public sealed record GreetInput(string Name, string How, bool Fail);

/// <summary>
/// Waits for an "Approve" event or a durable timer, whichever comes first, then has an activity write the greeting:
/// the human-interaction pattern in a few lines.
/// </summary>
public static class Greeting
{
    public const string ApproveEvent = "Approve";

    [Function(nameof(Greeting))]
    public static async Task<string> Run(
        [OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var request = context.GetInput<GreetingRequest>() ?? throw new InvalidOperationException("A greeting needs its request.");

        using var timeout = new CancellationTokenSource();
        var timer = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(request.WaitSeconds), timeout.Token);
        var approval = context.WaitForExternalEvent<string>(ApproveEvent);

        string how;
        if (await Task.WhenAny(approval, timer) == approval)
        {
            timeout.Cancel();
            how = $"approved by {approval.Result}";
        }
        else
        {
            how = "after waiting";
        }

        try
        {
            return await context.CallActivityAsync<string>(nameof(Greet), new GreetInput(request.Name, how, request.Fail));
        }
        catch (TaskFailedException failure)
        {
            // The activity's own exception type, for whoever reads the failed instance's status.
            context.SetCustomStatus(new { failedActivity = failure.TaskName, failure.FailureDetails.ErrorType });
            throw;
        }
    }

    [Function(nameof(Greet))]
    public static string Greet(
        [ActivityTrigger] GreetInput input,
        string instanceId) =>
        input.Fail
            ? throw new InvalidOperationException($"Cannot greet {input.Name} (asked to fail, instance {instanceId}).")
            : $"Hello, {input.Name}, {input.How}!";
}
