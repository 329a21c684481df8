using System.Collections.Concurrent;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Carries out, from the outbox's relay itself, the effects whose route says so (<see cref="EffectRoute.Direct"/>):
/// quick work that feeds nothing back (a business event to publish, a ledger entry to write), so the effect's queue
/// hop — a put, the trigger's poll and its delete — is saved, and what follows a commit happens at once. The queue
/// stays the effect's retry: a direct try that fails, or takes longer than <see cref="Timeout"/>, puts the effect on
/// its queue as before (the handler is idempotent by effect id, so a try that timed out and went through anyway does no
/// harm). After a failure the route's effects take their queue for <see cref="Rest"/>, so an outage of what the
/// handler calls does not hold every relay, and with it the instance's next command, for a timeout each. (Not
/// through <see cref="EffectDispatcher"/>, which feeds back through the lifecycles: they need the relay.)
/// </summary>
public sealed class DirectEffects(EffectRoutes routes, IServiceProvider services, TimeProvider clock, ILogger<DirectEffects> logger)
{
    /// <summary>How long the relay waits on a direct try before the effect takes its queue.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a route's effects take their queue after a direct try of it failed.</summary>
    public static readonly TimeSpan Rest = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _restingUntil = new(StringComparer.Ordinal);

    /// <returns>False when the effect's route is not direct, is resting, or the try failed: the effect takes its queue.</returns>
    public async Task<bool> TryAsync(EffectEnvelope envelope, CancellationToken ct)
    {
        if (routes.ForKind(envelope.Kind) is not { Direct: true } route
            || (_restingUntil.TryGetValue(route.Kind, out var until) && until > clock.GetUtcNow()))
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await CarryOutAsync(route, envelope, timeout.Token).WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _restingUntil[route.Kind] = clock.GetUtcNow() + Rest;
            logger.LogWarning(e, "Effect {EffectId} ({Kind}) failed from the relay; it takes its queue, as its kind does for {Rest}", envelope.EffectId, route.Kind, Rest);
            return false;
        }
    }

    private async Task CarryOutAsync(EffectRoute route, EffectEnvelope envelope, CancellationToken ct)
    {
        using var span = EffectDispatcher.Begin(envelope, attempt: 1);
        using var scope = EffectDispatcher.Scope(logger, envelope);
        if (await EffectDispatcher.Run(route, envelope, attempt: 1, services, ct) is { } feedback)
        {
            throw new InvalidOperationException(
                $"Effect kind '{route.Kind}' is carried out by the relay, which holds its instance, but its handler fed back {feedback.GetType().Name}.");
        }
    }
}
