namespace Atlas.Core.Common;

/// <summary>
/// A lifecycle's rules as a pure function: given the current state, a command and the time, decide what
/// happens. No I/O, no clock reads, no randomness: time, ids and codes arrive as inputs.
/// </summary>
/// <typeparam name="TState">A closed set of records; the initial one stands for "not started".</typeparam>
/// <typeparam name="TCommand">A closed set of records, one of which is the timeout.</typeparam>
public abstract class Decider<TState, TCommand>
    where TState : class
    where TCommand : class
{
    /// <summary>The lifecycle's stable name, part of every instance's storage key ("job", "ride").</summary>
    public abstract string Type { get; }

    /// <summary>The state of an instance that has never accepted a command.</summary>
    public abstract TState Initial { get; }

    public abstract Decision<TState> Decide(TState state, TCommand command, DateTimeOffset now);

    /// <summary>The command the runtime sends when the deadline a decision asked for comes due.</summary>
    public abstract TCommand Timeout(DateTimeOffset deadline);
}
