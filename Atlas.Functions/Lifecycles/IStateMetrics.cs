namespace Atlas.Functions.Lifecycles;

/// <summary>
/// What a lifecycle's committed changes count for in the business metrics, told by the runtime after each commit (so a
/// retried command or a redelivered effect never counts twice). A feature registers one for its lifecycle
/// (<c>services.AddStateMetrics</c>); the runtime knows none of their states.
/// </summary>
public interface IStateMetrics<in TState, in TCommand>
    where TState : class
    where TCommand : class
{
    void Changed(TState before, TState after, TCommand command);
}
