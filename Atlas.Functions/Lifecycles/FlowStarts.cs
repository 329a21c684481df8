using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Lifecycles;

/// <summary>Orchestrations started under an id that says what they are for (a booking's journey, a period's payouts): a
/// second start of the same id, while the first runs, is refused by the Functions host, and that is not an error.</summary>
public static class FlowStarts
{
    /// <returns>False if an instance of that id was running already.</returns>
    public static async Task<bool> StartOnceAsync(this DurableTaskClient durable, string name, object input, string instanceId, CancellationToken ct)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId), ct);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
