using System.Text.Json;
using Atlas.Core.Common;

namespace Atlas.Functions.Lifecycles;

/// <summary>Carries out one kind of effect. Returns the command to feed back to the instance that asked for it,
/// or null. Called at least once per effect id: it must be idempotent by <see cref="EffectContext.EffectId"/>.</summary>
public interface IEffectHandler<in TEffect>
    where TEffect : Effect
{
    Task<object?> HandleAsync(TEffect effect, EffectContext context, CancellationToken ct);
}

/// <param name="Attempt">How many times the effect has been tried, this time included (a queue message's dequeue count).</param>
public sealed record EffectContext(string EffectId, string Lifecycle, string InstanceId, int Attempt);

/// <summary>Where an effect type goes: its stable kind name (stored in outboxes), its queue, and its handler.</summary>
/// <param name="Direct">The relay carries the effect out itself, its queue only its retry (<see cref="DirectEffects"/>):
/// for quick handlers that feed nothing back.</param>
public sealed record EffectRoute(
    Type EffectType,
    string Kind,
    string Queue,
    Func<IServiceProvider, JsonElement, EffectContext, CancellationToken, Task<object?>> Handle,
    bool Direct = false);

/// <summary>Every registered effect route, by type (to write outboxes) and by kind (to dispatch queue messages).</summary>
public sealed class EffectRoutes
{
    public const string DefaultQueue = "effects";

    private readonly Dictionary<Type, EffectRoute> _byType;
    private readonly Dictionary<string, EffectRoute> _byKind;

    public EffectRoutes(IEnumerable<EffectRoute> routes)
    {
        var all = routes.ToList();
        _byType = all.ToDictionary(r => r.EffectType);
        _byKind = all.ToDictionary(r => r.Kind, StringComparer.Ordinal);
    }

    /// <summary>Every queue effects go to; each gets a queue function. The default queue always exists.</summary>
    public IReadOnlyList<string> Queues =>
        _byKind.Values.Select(r => r.Queue).Where(q => q != FlowFact.StepQueue).Append(DefaultQueue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public EffectRoute For(Effect effect) => _byType.TryGetValue(effect.GetType(), out var route)
        ? route
        : throw new InvalidOperationException($"No effect route is registered for {effect.GetType().Name}.");

    public EffectRoute? ForKind(string kind) => _byKind.GetValueOrDefault(kind);
}
