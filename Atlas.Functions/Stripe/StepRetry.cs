using Microsoft.DurableTask;

namespace Atlas.Functions.Stripe;

/// <summary>A flow's Stripe call's declared retry (<see cref="StripeOptions"/>' Step settings): the only retry of that
/// call, as the activity's Durable retry options (the Stripe client in the activity tries once).</summary>
/// <param name="Park">How long a call waits after a round of tries failed before the next round: never given up.</param>
public sealed record StepRetry(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan Park)
{
    /// <summary>What a journey begun before the settings (its input carries none) retries its steps by.</summary>
    public static readonly StepRetry Before = new(6, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));

    public static StepRetry From(StripeOptions options) =>
        new(options.StepMaxAttempts, options.StepRetryDelay, options.StepMaxRetryDelay, options.StepPark);

    public TaskOptions ToTaskOptions() => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: MaxAttempts, firstRetryInterval: FirstDelay, backoffCoefficient: 2, maxRetryInterval: MaxDelay));
}
