using Atlas.Core.Common;

namespace Atlas.Functions.Lifecycles;

public enum CommandStatus
{
    /// <summary>The command moved the instance on; the new state and its effects are committed.</summary>
    Applied,

    /// <summary>Nothing to do (a repeated command, a stale timer); nothing was written.</summary>
    Unchanged,

    /// <summary>The decider refused the command; see <see cref="CommandResult{TState}.Rejection"/>.</summary>
    Rejected,

    /// <summary>Every attempt lost an optimistic-concurrency race; nothing was written.</summary>
    Contended,
}

/// <summary>What became of a command: its status, and the instance's state and version after it.</summary>
public sealed record CommandResult<TState>(CommandStatus Status, TState State, long Version, Rejection? Rejection = null)
    where TState : class;
