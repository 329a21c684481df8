using Atlas.Functions.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Atlas.Functions.Stripe;

/// <summary>
/// The Stripe port's two registrations, on one <see cref="StripeApi"/> over two HTTP clients (docs/retries.md):
/// <see cref="IStripeApi"/> tries each call once, for callers that a Durable activity's retry options or an effect
/// queue already retry; <see cref="IRetriedStripeApi"/> retries under the pipeline declared here, for callers with no
/// flow around them. Both bound each request by <see cref="StripeOptions.Timeout"/> and time each as a dependency span.
/// </summary>
public static class StripeClients
{
    public const string OneTry = "Stripe";

    public const string Retried = "Stripe.Retried";

    public static IServiceCollection AddStripeClients(this IServiceCollection services)
    {
        var oneTry = Client(services, OneTry);
        oneTry.AddResilienceHandler(OneTry, (pipeline, context) =>
        {
            pipeline.TimeProvider = TimeProvider.System;
            pipeline.AddTimeout(OptionsOf(context.ServiceProvider).Timeout);
        });
        Spans(oneTry);
        var retried = Client(services, Retried);
        retried.AddResilienceHandler(Retried, (pipeline, context) => Retrying(pipeline, OptionsOf(context.ServiceProvider)));
        Spans(retried);

        services.TryAddSingleton<IStripeApi>(sp => Api(sp, OneTry));
        services.TryAddSingleton<IRetriedStripeApi>(sp => Api(sp, Retried));
        return services;
    }

    /// <summary>The retry outside flows: <see cref="StripeOptions.MaxAttempts"/> tries, exponential with jitter from
    /// <see cref="StripeOptions.RetryDelay"/> (or Stripe's Retry-After), each try its own timeout. The same request goes
    /// again, so a POST keeps its Idempotency-Key and Stripe carries it out once.</summary>
    public static void Retrying(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, StripeOptions options)
    {
        // Waits on a remote's time, not the app's: a test's manual clock must not hold a retry or a timeout forever.
        pipeline.TimeProvider = TimeProvider.System;
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            });
        }

        pipeline.AddTimeout(options.Timeout);
    }

    /// <summary>No answer, or one Stripe says is worth the same request again: 409 (the key is in use), 429 and 5xx,
    /// unless its <c>Stripe-Should-Retry</c> header says otherwise.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } when response.Headers.TryGetValues("Stripe-Should-Retry", out var said) =>
            bool.TryParse(said.FirstOrDefault(), out var retry) && retry,
        { Result: { } response } => StripeApi.Retryable(response.StatusCode),
        _ => false,
    };

    private static IHttpClientBuilder Client(IServiceCollection services, string name) =>
        services.AddHttpClient(name, NoClientTimeout).ConfigurePrimaryHttpMessageHandler(Connections).RemoveAllLoggers();

    // Added after the pipeline, so inside it: each try is a span of its own (they stand for the factory's request logs),
    // and a try ends when its whole answer is in, so its timeout also covers a body that comes late.
    private static void Spans(IHttpClientBuilder client)
    {
        client.AddHttpMessageHandler(() => new StripeDependencies());
        client.AddHttpMessageHandler(() => new WholeAnswers());
    }

    private static StripeApi Api(IServiceProvider services, string client) => new(
        services.GetRequiredService<IHttpClientFactory>().CreateClient(client),
        services.GetRequiredService<IOptions<StripeOptions>>(),
        services.GetRequiredService<ILogger<StripeApi>>());

    private static StripeOptions OptionsOf(IServiceProvider services) => services.GetRequiredService<IOptions<StripeOptions>>().Value;

    // The pipeline's timeout bounds each try; HttpClient's own would cut the retries short.
    private static void NoClientTimeout(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;

    private static SocketsHttpHandler Connections() => new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    private sealed class WholeAnswers : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
