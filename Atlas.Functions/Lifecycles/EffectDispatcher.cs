using System.Text.Json;
using Atlas.Functions.Queues;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// The body of every effect queue function (and of a flow's step activity): read the envelope, run the handler
/// registered for its kind, and feed the handler's result back to the instance that asked. Throws on failure so the
/// message (or the activity) is retried.
/// </summary>
public sealed class EffectDispatcher(
    EffectRoutes routes, LifecycleRegistry lifecycles, IQueueClient queues, IServiceProvider services, ILogger<EffectDispatcher> logger)
{
    /// <summary>An effect from its queue. A handler's <see cref="RetryLaterException"/> puts the message back on the
    /// queue with its delay, as a new message: waiting for a provider does not spend the message's deliveries.</summary>
    public async Task HandleAsync(QueueMessage message, CancellationToken ct)
    {
        var envelope = JsonSerializer.Deserialize<EffectEnvelope>(message.Text, LifecycleJson.Options)
            ?? throw new InvalidOperationException($"Queue message {message.Id} is not an effect envelope.");
        try
        {
            await HandleAsync(envelope, message.DequeueCount, ct);
        }
        catch (RetryLaterException later)
        {
            var queue = routes.ForKind(envelope.Kind)!.Queue;
            logger.LogInformation("Effect {EffectId} tries again in {Delay}: {Reason}", envelope.EffectId, later.Delay, later.Message);
            await queues.SendAsync(queue, message.Text, later.Delay, ct);
        }
    }

    /// <param name="attempt">How many times this effect has been tried, this time included.</param>
    /// <param name="flowKnows">A flow takes this step and learns the instance's outcome from it.</param>
    public async Task HandleAsync(EffectEnvelope envelope, int attempt, CancellationToken ct, bool flowKnows = false)
    {
        using var span = Begin(envelope, attempt);
        using var scope = Scope(logger, envelope);
        var feedback = await RunAsync(envelope, attempt, ct);
        if (feedback is null)
        {
            return;
        }

        var lifecycle = lifecycles.Find(envelope.Lifecycle)
            ?? throw new InvalidOperationException($"Effect {envelope.EffectId} names unknown lifecycle '{envelope.Lifecycle}'.");
        var status = await lifecycle.ExecuteAsync(envelope.InstanceId, feedback, ct, flowKnows);
        ContendedException.ThrowIf(status, $"Feeding back {feedback.GetType().Name}");

        logger.LogDebug("Effect {Kind} fed back {Command}: {Status}", envelope.Kind, feedback.GetType().Name, status);
    }

    private Task<object?> RunAsync(EffectEnvelope envelope, int attempt, CancellationToken ct)
    {
        var route = routes.ForKind(envelope.Kind)
            ?? throw new InvalidOperationException($"No handler is registered for effect kind '{envelope.Kind}'.");
        return Run(route, envelope, attempt, services, ct);
    }

    /// <summary>The route's handler on the envelope's effect.</summary>
    internal static Task<object?> Run(EffectRoute route, EffectEnvelope envelope, int attempt, IServiceProvider services, CancellationToken ct) =>
        route.Handle(services, envelope.Payload, new EffectContext(envelope.EffectId, envelope.Lifecycle, envelope.InstanceId, attempt), ct);

    /// <summary>The effect's span, in the trace of the commit that made it.</summary>
    internal static System.Diagnostics.Activity? Begin(EffectEnvelope envelope, int attempt)
    {
        var span = AtlasTelemetry.Continue($"effect {envelope.Kind}", envelope.Trace);
        span?.SetTag("atlas.lifecycle", envelope.Lifecycle);
        span?.SetTag("atlas.effect.attempt", attempt);
        return span;
    }

    /// <summary>The effect's ids on every line its handler logs.</summary>
    internal static IDisposable? Scope(ILogger logger, EffectEnvelope envelope) => logger.BeginScope(new Dictionary<string, object>
    {
        ["Lifecycle"] = envelope.Lifecycle,
        ["InstanceId"] = envelope.InstanceId,
        ["EffectId"] = envelope.EffectId,
    });
}
