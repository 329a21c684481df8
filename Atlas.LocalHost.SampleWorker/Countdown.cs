using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace SampleWorker;

/// <summary>Counts down by starting itself again with a fresh history (ContinueAsNew), once per number.</summary>
public static class Countdown
{
    [Function(nameof(Countdown))]
    public static string Run(
        [OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var left = context.GetInput<int>();
        if (left > 0)
        {
            context.ContinueAsNew(left - 1);
            return string.Empty;
        }

        return "lift-off";
    }
}
