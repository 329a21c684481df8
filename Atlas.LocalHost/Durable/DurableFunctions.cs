using Atlas.LocalHost.Configuration;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Rpc;

namespace Atlas.LocalHost.Durable;

/// <summary>The app's orchestrator and activity functions by the names DTFx dispatches them under (case-insensitive,
/// as the extension matches them); disabled functions are left out, so work for them fails as "not found".</summary>
internal sealed class DurableFunctions
{
    private readonly Dictionary<string, (FunctionDescriptor Function, string Parameter)> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (FunctionDescriptor Function, string Parameter)> _activities = new(StringComparer.OrdinalIgnoreCase);

    public DurableFunctions(IReadOnlyList<FunctionDescriptor> functions, AppSettings settings)
    {
        foreach (var function in functions.Where(function => !settings.IsFunctionDisabled(function.Name)))
        {
            switch (function.Trigger)
            {
                case OrchestrationTriggerBinding orchestration:
                    _orchestrators[orchestration.Orchestration] = (function, orchestration.Name);
                    break;
                case ActivityTriggerBinding activity:
                    _activities[activity.Activity] = (function, activity.Name);
                    break;
            }
        }
    }

    public int OrchestratorCount => _orchestrators.Count;

    public int ActivityCount => _activities.Count;

    /// <summary>Whether the app uses Durable at all: a Durable trigger, or a <c>[DurableClient]</c> input anywhere.</summary>
    public static bool AreUsedBy(IReadOnlyList<FunctionDescriptor> functions) =>
        functions.Any(function => function.Trigger is OrchestrationTriggerBinding or ActivityTriggerBinding || DurableClientBinding.NamesIn(function).Any());

    public (FunctionDescriptor Function, string Parameter)? Orchestrator(string name) =>
        _orchestrators.TryGetValue(name, out var found) ? found : null;

    public (FunctionDescriptor Function, string Parameter)? Activity(string name) =>
        _activities.TryGetValue(name, out var found) ? found : null;
}
