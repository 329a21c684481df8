using Atlas.Core.Integration;
using Atlas.Functions.Hosting;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Atlas.Functions.Integration;

/// <summary>Business events for other systems: the <see cref="Publish"/> effect, published by the outbox's relay itself
/// and retried on a queue of its own (a slow Service Bus holds nothing else up), and the transport the configuration
/// names.</summary>
public static class IntegrationServices
{
    public const string Queue = "integration";

    public static IServiceCollection AddIntegrationEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>() ?? new ServiceBusOptions();
        if (options.IsConfigured)
        {
            services.TryAddSingleton(_ => CreateClient(options));
            services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(options.Topic));
            services.TryAddSingleton<IIntegrationEvents, ServiceBusIntegrationEvents>();
        }
        else
        {
            services.TryAddSingleton<IIntegrationEvents, QueueIntegrationEvents>();
        }

        services.AddEffect<Publish, IntegrationPublishing>("integration.publish", Queue, direct: true);

        // Read by other systems, not by a function of this app: local development's business events.
        services.AddQueues(QueueIntegrationEvents.Queue);
        return services;
    }

    /// <summary>The namespace with the app's identity when one is named, else the connection string. The client's own
    /// retries are off: the effect's queue is the send's retry (<see cref="ServiceBusIntegrationEvents"/>).</summary>
    public static ServiceBusClient CreateClient(ServiceBusOptions options)
    {
        var clientOptions = new ServiceBusClientOptions { RetryOptions = new ServiceBusRetryOptions { MaxRetries = 0, TryTimeout = TimeSpan.FromSeconds(30) } };
        return !string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace)
            ? new ServiceBusClient(options.FullyQualifiedNamespace, AppIdentity.For(options.Credential, options.ClientId), clientOptions)
            : new ServiceBusClient(options.ConnectionString, clientOptions);
    }
}
