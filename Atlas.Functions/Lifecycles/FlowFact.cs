using System.Globalization;
using System.Text.Json;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// What the flow that follows a lifecycle hears of one of its commits: the version, the deadline the instance now waits
/// on, whether it is over, and the steps (outside calls) the flow carries out for it. Written to the outbox with the
/// state, so a commit's fact reaches the flow at least once; the flow keeps the newest version it heard of each instance.
/// </summary>
/// <param name="Awaits">Other instances (<see cref="Key"/>s) the flow must hear over before it may end.</param>
/// <param name="AfterOver">The instance was over before this commit (a refund after the capture): the fact starts a flow
/// of its own rather than reaching one that may be ending.</param>
/// <param name="Trace">The traceparent of the command that made the commit: a deadline's firing continues that trace.</param>
/// <param name="CommittedAt">When the commit was made, by the app's clock: how long a fact takes to reach its flow is
/// measured from it (docs/benchmarks.md, journey). Null on what a flow's own activity reads back.</param>
/// <param name="Held">How many times this fact has found its flow not yet run and come back (FlowDelivery): each time it
/// waits longer, so a backlog of first episodes is not fed by the facts waiting on them.</param>
public sealed record FlowFact(
    string Lifecycle,
    string Id,
    long Version,
    DateTimeOffset? Deadline,
    bool Over,
    IReadOnlyList<EffectEnvelope> Steps,
    IReadOnlyList<string>? Awaits = null,
    bool AfterOver = false,
    string? Trace = null,
    DateTimeOffset? CommittedAt = null,
    int Held = 0)
{
    public const string Kind = "lifecycle.fact";

    public const string Queue = "flows";

    /// <summary>The name of the event a fact is raised to a running flow under.</summary>
    public const string Event = "fact";

    /// <summary>What an effect's route names as its queue when the flow carries it out (a step), not a queue.</summary>
    public const string StepQueue = "flow";

    public string Key => KeyOf(Lifecycle, Id);

    public static string KeyOf(string lifecycle, string id) => $"{lifecycle}|{id}";

    /// <summary>The lifecycle and id a <see cref="Key"/> names.</summary>
    public static (string Lifecycle, string Id) Parse(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return (key[..bar], key[(bar + 1)..]);
    }

    /// <summary>The outbox entry that carries this fact, beside the effects of the same commit.</summary>
    public OutboxEntry ToOutbox(int index) => new(
        Lifecycle,
        Id,
        LifecycleKeys.OutboxRow(Version, index),
        new EffectEnvelope(
            LifecycleKeys.EffectId(Lifecycle, Id, Version, index),
            Kind,
            Lifecycle,
            Id,
            JsonSerializer.SerializeToElement(this, LifecycleJson.Options),
            AtlasTelemetry.Current),
        Queue);

    /// <summary>The id of the flow a fact after its instance was over starts: one per such commit.</summary>
    public string AfterOverFlowId(string flowId) =>
        string.Create(CultureInfo.InvariantCulture, $"{flowId}~{Lifecycle}-{Id}-{Version:D10}");
}

/// <summary>Which flow follows a lifecycle: its orchestrator, the flow instance an instance belongs to, what the flow
/// needs to know of a state (over, and what it must still hear of), and the settings a flow keeps from its start.</summary>
public sealed record FlowRoute(
    string Lifecycle,
    string Orchestrator,
    Func<string, string> FlowOf,
    Func<object, bool> IsOver,
    Func<object, IReadOnlyList<string>> Awaits,
    Func<IServiceProvider, object?> Settings);

/// <summary>Every registered flow route, by lifecycle.</summary>
public sealed class FlowRoutes(IEnumerable<FlowRoute> routes)
{
    private readonly Dictionary<string, FlowRoute> _byLifecycle = routes.ToDictionary(r => r.Lifecycle, StringComparer.Ordinal);

    public FlowRoute? Find(string lifecycle) => _byLifecycle.GetValueOrDefault(lifecycle);

    public IReadOnlyCollection<FlowRoute> All => _byLifecycle.Values;
}

/// <summary>The input the runtime starts a flow with: the fact that found no flow running, and the settings the flow
/// keeps for its life (read here, outside the orchestrator, so every replay sees the same).</summary>
public sealed record FlowStart(FlowFact Fact, object? Settings = null);
