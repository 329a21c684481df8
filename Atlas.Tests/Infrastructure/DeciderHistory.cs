using Atlas.Core.Common;

namespace Atlas.Tests.Infrastructure;

/// <summary>Given/When/Then's "given": an instance brought to a state by the commands that lead there, each at its time.</summary>
public static class DeciderHistory
{
    /// <summary>Runs the commands from a new instance; every one must be accepted.</summary>
    public static TState Run<TState, TCommand>(Decider<TState, TCommand> decider, IEnumerable<(TCommand Command, DateTimeOffset At)> history)
        where TState : class
        where TCommand : class =>
        history.Aggregate(decider.Initial, (state, step) => Assert.IsType<Decision<TState>.Accepted>(decider.Decide(state, step.Command, step.At)).State);
}
