
namespace Atlas.Functions.Lifecycles;

/// <summary>One lifecycle type, as the type-agnostic parts of the runtime (timer scan, effect feedback, ops) see it.</summary>
public abstract class Lifecycle
{
    public abstract string Type { get; }

    public abstract Task<CommandStatus> ExecuteAsync(string id, object command, CancellationToken ct);

    public abstract Task<CommandStatus> TimeoutAsync(string id, DateTimeOffset deadline, CancellationToken ct);

    public abstract Task<InstanceView?> ReadAsync(string id, CancellationToken ct);

    public abstract Task DeleteAsync(string id, CancellationToken ct);
}
