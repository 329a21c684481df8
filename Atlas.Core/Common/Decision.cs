namespace Atlas.Core.Common;

/// <summary>What a decider made of a command: a new state, nothing to do, or a typed refusal.</summary>
public abstract record Decision<TState>
    where TState : class
{
    private Decision()
    {
    }

    /// <summary>The command moves the lifecycle on: the new state, the effects to carry out, and the next
    /// deadline (null when nothing is waiting on time).</summary>
    public sealed record Accepted(TState State, IReadOnlyList<Effect> Effects, DateTimeOffset? Deadline)
        : Decision<TState>;

    /// <summary>Nothing to write: a repeated command, or a timer that no longer matches the state.</summary>
    public sealed record Unchanged : Decision<TState>;

    /// <summary>The command is not allowed now; the reason goes back to the caller.</summary>
    public sealed record Rejected(Rejection Rejection) : Decision<TState>;

    public static Decision<TState> Accept(TState state, DateTimeOffset? deadline, params Effect[] effects) =>
        new Accepted(state, effects, deadline);

    public static Decision<TState> Ignore() => new Unchanged();

    /// <summary>The same decision with more effects after its own; a refusal or no-op stays as it is.</summary>
    public Decision<TState> With(params Effect[] effects) =>
        this is Accepted accepted ? accepted with { Effects = [.. accepted.Effects, .. effects] } : this;

    public static Decision<TState> Reject(string code, string reason) => new Rejected(new Rejection(code, reason));
}

/// <summary>Why a command was refused: a stable machine code and a sentence for people.</summary>
public sealed record Rejection(string Code, string Reason);
