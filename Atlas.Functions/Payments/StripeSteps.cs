using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Payments;

/// <summary>
/// The escrow's Stripe calls as Durable activities. Each Stripe effect an escrow decides (authorise, capture, cancel,
/// refund, tip) reaches the <c>stripe</c> queue through the escrow's outbox, and <see cref="StartAsync"/> starts
/// <c>StripeStepV1</c> as <c>stripe-{effectId}</c>: one activity that makes the call with the effect id as its
/// idempotency key and feeds Stripe's answer back to the escrow, retried with back-off, never given up. The instance
/// id and the key are the same id, derived from the escrow's version and the effect's place in it, so a redelivered
/// start, a replay or a retried activity never charges twice.
/// </summary>
public static class StripeSteps
{
    /// <summary>An orchestrator's name carries its version (docs/lifecycles.md, "Rules").</summary>
    public const string Name = "StripeStepV1";

    public const string Queue = "stripe";

    public const string InstancePrefix = "stripe-";

    /// <summary>How long a step whose activity spent its retries (Stripe or storage down for minutes) waits before it
    /// tries again.</summary>
    public static readonly TimeSpan Park = TimeSpan.FromMinutes(5);

    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <param name="Rounds">Rounds of retries already spent (each <see cref="Park"/> apart).</param>
    public sealed record Step(EffectEnvelope Effect, int Rounds = 0);

    public static string InstanceId(string effectId) => InstancePrefix + effectId;

    [Function("StripeSteps")]
    public static async Task StartAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + Queue)] string message, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        var effect = JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)
            ?? throw new InvalidOperationException("A Stripe step message is empty.");
        // False for a redelivered message: this step is under way.
        await durable.StartOnceAsync(Name, new Step(effect), InstanceId(effect.EffectId), ct);
    }

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CarryOutAsync(context, context.GetInput<Step>() ?? throw new InvalidOperationException("A Stripe step needs its effect."));

    /// <summary>One round of tries; a round that fails waits <see cref="Park"/> and starts over as a new execution
    /// (so the history stays a few events long however long Stripe is away).</summary>
    public static async Task CarryOutAsync(TaskOrchestrationContext context, Step step)
    {
        try
        {
            await context.CallActivityAsync(nameof(CarryOutStripeStepAsync), step, Retried);
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(StripeSteps)).LogError(
                "Stripe step {EffectId} failed {Rounds} rounds of retries ({Error}); trying again in {Park}",
                step.Effect.EffectId, step.Rounds + 1, e.FailureDetails.ErrorMessage, Park);
            await context.CreateTimer(context.CurrentUtcDateTime + Park, CancellationToken.None);
            context.ContinueAsNew(step with { Rounds = step.Rounds + 1 });
        }
    }

    [Function(nameof(CarryOutStripeStepAsync))]
    public static Task CarryOutStripeStepAsync([ActivityTrigger] Step step, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(step.Effect, step.Rounds + 1, ct);
}
