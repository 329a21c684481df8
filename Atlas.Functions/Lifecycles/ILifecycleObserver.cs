namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Told of what the runtime did, after it did it: a state committed, a deadline fired. Features register observers
/// (the ops overview's daily facts); the runtime knows none of them. An observer that fails is logged and does not
/// undo or fail the command: what it keeps is a view, not the record.
/// </summary>
public interface ILifecycleObserver
{
    Task CommittedAsync(string type, string id, object before, object after, DateTimeOffset at, CancellationToken ct);

    Task DeadlineFiredAsync(string type, string id, DateTimeOffset deadline, TimeSpan lag, CancellationToken ct);
}
