using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Stripe;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Payments;

/// <summary>
/// Draining: how an escrow's Stripe call ran before a booking's journey made it (<c>StripeStepV1</c>, one orchestration
/// per call, started by the <c>stripe</c> queue's function). Nothing starts one now; a deployment keeps the orchestrator,
/// its activity and the queue function registered until no instance of it runs and the queue is empty, then the next
/// deletes them (docs/lifecycles.md, "Draining the flows of before").
/// </summary>
public static class StripeSteps
{
    public const string Name = "StripeStepV1";

    public const string Queue = "stripe";

    public const string InstancePrefix = "stripe-";

    /// <param name="Rounds">Rounds of retries already spent (each <see cref="StepRetry.Park"/> apart).</param>
    /// <param name="Retry">The retry settings when the step started; a step started before they were settings has none.</param>
    public sealed record Step(EffectEnvelope Effect, int Rounds = 0, StepRetry? Retry = null);

    public static string InstanceId(string effectId) => InstancePrefix + effectId;

    [Function("StripeSteps")]
    public static async Task StartAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + Queue)] string message, [DurableClient] DurableTaskClient durable, IOptions<StripeOptions> options, CancellationToken ct)
    {
        var effect = JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)
            ?? throw new InvalidOperationException("A Stripe step message is empty.");
        await durable.StartOnceAsync(Name, new Step(effect, Retry: StepRetry.From(options.Value)), InstanceId(effect.EffectId), ct);
    }

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CarryOutAsync(context, context.GetInput<Step>() ?? throw new InvalidOperationException("A Stripe step needs its effect."));

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
