using Atlas.Core.Common;
using Atlas.Functions.Lifecycles;

namespace Atlas.Benchmarks;

// The smallest lifecycle that exercises each path the runtime benchmark measures: a plain transition, and a
// transition with an effect. (Deadlines are Durable's now: the durable part measures their timers.)

public sealed record ProbeState(long Count);

public abstract record ProbeCommand;

/// <summary>A transition with nothing else: one read and one batch write.</summary>
public sealed record Bump : ProbeCommand;

/// <summary>A transition with one effect: the write, then the relay to the queue.</summary>
public sealed record Emit : ProbeCommand;

/// <summary>The timeout every decider has; the probe sets no deadline, so it never comes.</summary>
public sealed record Fire(DateTimeOffset Deadline) : ProbeCommand;

public sealed record Ping(long Count) : Effect;

public sealed class ProbeDecider : Decider<ProbeState, ProbeCommand>
{
    public override string Type => "probe";

    public override ProbeState Initial { get; } = new(0);

    public override ProbeCommand Timeout(DateTimeOffset deadline) => new Fire(deadline);

    public override Decision<ProbeState> Decide(ProbeState state, ProbeCommand command, DateTimeOffset now) => command switch
    {
        Bump => Decision<ProbeState>.Accept(state with { Count = state.Count + 1 }, null),
        Emit => Decision<ProbeState>.Accept(state with { Count = state.Count + 1 }, null, new Ping(state.Count + 1)),
        _ => Decision<ProbeState>.Ignore(),
    };
}

/// <summary>Receives pings and does nothing: the benchmark measures getting them onto the queue.</summary>
public sealed class PingReceiver : IEffectHandler<Ping>
{
    public Task<object?> HandleAsync(Ping effect, EffectContext context, CancellationToken ct) => Task.FromResult<object?>(null);
}
