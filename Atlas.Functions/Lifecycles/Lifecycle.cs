
namespace Atlas.Functions.Lifecycles;

/// <summary>One lifecycle type, as the type-agnostic parts of the runtime (timer scan, effect feedback, ops) see it.</summary>
public abstract class Lifecycle
{
    public abstract string Type { get; }

    /// <param name="flowKnows">The flow that follows this lifecycle sent the command and learns the outcome from its
    /// caller (<see cref="FactAsync"/>): the commit sends it no fact but its steps.</param>
    public abstract Task<CommandStatus> ExecuteAsync(string id, object command, CancellationToken ct, bool flowKnows = false);

    public abstract Task<CommandStatus> TimeoutAsync(string id, DateTimeOffset deadline, CancellationToken ct, bool flowKnows = false);

    /// <summary>What the instance's flow knows of it (its steps aside): from the state this process last wrote, or read.</summary>
    public abstract Task<FlowFact?> FactAsync(string id, CancellationToken ct);

    public abstract Task<InstanceView?> ReadAsync(string id, CancellationToken ct);

    public abstract Task DeleteAsync(string id, CancellationToken ct);
}
