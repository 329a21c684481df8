using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Payments;

/// <summary>
/// The escrow's Stripe calls as Durable activities. Each Stripe effect an escrow decides (authorise, capture, cancel,
/// refund, tip) reaches the <c>stripe</c> queue through the escrow's outbox, and <see cref="StartAsync"/> starts
/// <c>StripeStepV1</c> as <c>stripe-{effectId}</c>: one activity that makes the call with the effect id as its
/// idempotency key and feeds Stripe's answer back to the escrow. The activity's Durable retry options are the call's
/// only retry (its Stripe client tries once): <see cref="StepRetry.MaxAttempts"/> tries a round, backing off; a round
/// that fails waits <see cref="StepRetry.Park"/> and starts over, never given up. The instance id and the key are the
/// same id, derived from the escrow's version and the effect's place in it, so a redelivered start, a replay or a
/// retried activity never charges twice.
/// </summary>
public static class StripeSteps
{
    /// <summary>An orchestrator's name carries its version (docs/lifecycles.md, "Rules").</summary>
    public const string Name = "StripeStepV1";

    public const string Queue = "stripe";

    public const string InstancePrefix = "stripe-";

    /// <param name="Rounds">Rounds of retries already spent (each <see cref="StepRetry.Park"/> apart).</param>
    /// <param name="Retry">The retry settings when the step started (Stripe:Step…), kept in its input so that every
    /// replay of the step retries alike; a step started before they were settings has none and retries as they were.</param>
    public sealed record Step(EffectEnvelope Effect, int Rounds = 0, StepRetry? Retry = null);

    /// <summary>The step's declared retry (<see cref="StripeOptions"/>' Step settings).</summary>
    public sealed record StepRetry(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan Park)
    {
        /// <summary>What a step started before the settings retries by.</summary>
        public static readonly StepRetry Before = new(6, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));

        public static StepRetry From(StripeOptions options) =>
            new(options.StepMaxAttempts, options.StepRetryDelay, options.StepMaxRetryDelay, options.StepPark);

        public TaskOptions ToTaskOptions() => TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: MaxAttempts, firstRetryInterval: FirstDelay, backoffCoefficient: 2, maxRetryInterval: MaxDelay));
    }

    public static string InstanceId(string effectId) => InstancePrefix + effectId;

    [Function("StripeSteps")]
    public static async Task StartAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + Queue)] string message, [DurableClient] DurableTaskClient durable, IOptions<StripeOptions> options, CancellationToken ct)
    {
        var effect = JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)
            ?? throw new InvalidOperationException("A Stripe step message is empty.");
        // False for a redelivered message: this step is under way.
        await durable.StartOnceAsync(Name, new Step(effect, Retry: StepRetry.From(options.Value)), InstanceId(effect.EffectId), ct);
    }

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CarryOutAsync(context, context.GetInput<Step>() ?? throw new InvalidOperationException("A Stripe step needs its effect."));

    /// <summary>One round of tries; a round that fails waits <see cref="StepRetry.Park"/> and starts over as a new
    /// execution (so the history stays a few events long however long Stripe is away).</summary>
    public static async Task CarryOutAsync(TaskOrchestrationContext context, Step step)
    {
        var retry = step.Retry ?? StepRetry.Before;
        try
        {
            await context.CallActivityAsync(nameof(CarryOutStripeStepAsync), step, retry.ToTaskOptions());
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(StripeSteps)).LogError(
                "Stripe step {EffectId} failed {Rounds} rounds of retries ({Error}); trying again in {Park}",
                step.Effect.EffectId, step.Rounds + 1, e.FailureDetails.ErrorMessage, retry.Park);
            await context.CreateTimer(context.CurrentUtcDateTime + retry.Park, CancellationToken.None);
            context.ContinueAsNew(step with { Rounds = step.Rounds + 1 });
        }
    }

    [Function(nameof(CarryOutStripeStepAsync))]
    public static Task CarryOutStripeStepAsync([ActivityTrigger] Step step, EffectDispatcher effects, CancellationToken ct) =>
        effects.HandleAsync(step.Effect, step.Rounds + 1, ct);
}
