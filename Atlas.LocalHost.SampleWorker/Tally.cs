using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace SampleWorker;

/// <summary>
/// Waits for <see cref="Count"/> "Add" events one after another, showing how many it has in its custom status, and
/// returns them joined: each event is an episode of its own, and with extended sessions every episode after the
/// first runs in the session the first one opened.
/// </summary>
public static class Tally
{
    public const string AddEvent = "Add";

    public const int Count = 3;

    [Function(nameof(Tally))]
    public static async Task<string> Run(
        [OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var items = new List<string>();
        while (items.Count < Count)
        {
            items.Add(await context.WaitForExternalEvent<string>(AddEvent));
            context.SetCustomStatus(items.Count);
        }

        return string.Join(",", items);
    }
}
