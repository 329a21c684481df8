using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.Core.Common;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Common;
using Atlas.Functions.Companies;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Integration;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Ops;
using Atlas.Functions.OpsConsole;
using Atlas.Functions.Payments;
using Atlas.Functions.Privacy;
using Atlas.Functions.Queues;
using Atlas.Functions.Quotes;
using Atlas.Functions.Rides;
using Atlas.Functions.Storage;
using Atlas.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Hosting;

/// <summary>Everything Atlas.Functions registers: plain DI, concrete types, interfaces only for the ports.</summary>
public static class AtlasServices
{
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>Put before every table and queue name (lower-case letters and digits), to share an account. Queue
    /// triggers name their queues with it too (<c>%Storage:NamePrefix%effects</c>), so it is set, empty, in Azure.</summary>
    public const string NamePrefixSetting = "Storage:NamePrefix";

    /// <summary>The worker: Atlas's services, the middleware around every function, and how parameters are bound.</summary>
    public static FunctionsApplicationBuilder AddAtlas(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddAtlasServices(builder.Configuration, builder.Environment);

        // Outermost first: problem+json for whatever escapes, then log scopes, the count of poisoned messages, the size limit, who may call, how often,
        // the parameters read before the function runs, and the audit of admin actions with their answers.
        builder.UseMiddleware<ProblemResponses>();
        builder.UseMiddleware<InvocationScopes>();
        builder.UseMiddleware<PoisonedMessages>();
        builder.UseMiddleware<RequestSizeLimit>();
        builder.UseMiddleware<AccessControl>();
        builder.UseMiddleware<RateLimits>();
        builder.UseMiddleware<RequestInputs>();
        builder.UseMiddleware<AuditTrail>();

        builder.Services.Configure<WorkerOptions>(o => o.InputConverters.RegisterAt<ServiceParameters>(0));

        ScopesInMessages.Wrap(builder.Services);

        // The worker's own ASP.NET Core host: its request logging is the Functions host's job.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    /// <summary>The app's services, without the worker (the tests' runtime and the benchmark build them alone).</summary>
    public static IServiceCollection AddAtlasServices(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddAtlasTelemetry(configuration);
        services.TryAddSingleton<ITableStore>(sp => new AzureTableStore(StorageClients.Tables(Storage(sp, "table")), NamePrefix(sp)));
        services.TryAddSingleton<IQueueClient>(sp => new AzureStorageQueues(StorageClients.Queues(Storage(sp, "queue")), NamePrefix(sp)));
        services.Configure<LifecycleOptions>(configuration.GetSection(LifecycleOptions.Section));
        services.AddOptions<FlowOptions>().Bind(configuration.GetSection(FlowOptions.Section)).ValidateOnStart();
        if (!environment.IsDevelopment())
        {
            services.AddOptions<PublishedSecrets.Check>().ValidateOnStart();
            services.AddSingleton<IValidateOptions<PublishedSecrets.Check>>(new OptionsProblems<PublishedSecrets.Check>(_ => PublishedSecrets.Problems(configuration)));
            services.AddOptions<DevelopmentParts.Check>().ValidateOnStart();
            services.AddSingleton<IValidateOptions<DevelopmentParts.Check>>(new OptionsProblems<DevelopmentParts.Check>(_ => DevelopmentParts.Problems(configuration)));
        }

        services.AddSingleton<IValidateOptions<FlowOptions>>(new OptionsProblems<FlowOptions>(o => o.Problems()));

        services.TryAddSingleton<RandomSource>();
        services.AddSingleton(FunctionIndex.App);
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<InstanceLocks>();
        services.AddSingleton<StateCache>();
        services.AddSingleton<RelayIndex>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<EffectRoutes>();
        services.AddSingleton<LifecycleRegistry>();
        services.AddSingleton<RelayScan>();
        services.AddOps();
        services.AddSingleton<DeadlineFiring>();
        services.AddSingleton<EffectDispatcher>();
        services.AddSingleton<ClientAddress>();
        services.AddOpsConsole();

        services.AddNotifications(configuration, environment);
        services.AddAuth(configuration);
        services.AddCompanies();
        services.AddQuotes(configuration);
        services.AddBookings(configuration);
        services.AddRides(configuration);
        services.AddPayments(configuration);
        services.AddIntegrationEvents(configuration);
        services.AddPrivacy(configuration);

        services.AddHostedService<StorageInitializer>();

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => AtlasJson.Strict(o.SerializerOptions));
        return services;
    }

    /// <summary>Runs a decider as a lifecycle: resolvable as Lifecycle&lt;TState, TCommand&gt; and found by its type name.</summary>
    public static IServiceCollection AddLifecycle<TState, TCommand>(this IServiceCollection services, Decider<TState, TCommand> decider)
        where TState : class
        where TCommand : class
    {
        services.AddSingleton(decider);
        services.AddSingleton(decider.GetType(), decider);
        services.AddSingleton<Lifecycle<TState, TCommand>>();
        services.AddSingleton<Lifecycle>(sp => sp.GetRequiredService<Lifecycle<TState, TCommand>>());
        return services;
    }

    /// <summary>Routes an effect type to a queue under a stable kind name, carried out by <typeparamref name="THandler"/>.</summary>
    public static IServiceCollection AddEffect<TEffect, THandler>(
        this IServiceCollection services, string kind, string queue = EffectRoutes.DefaultQueue)
        where TEffect : Effect
        where THandler : class, IEffectHandler<TEffect>
    {
        services.TryAddSingleton<THandler>();
        services.AddSingleton(new EffectRoute(
            typeof(TEffect),
            kind,
            queue,
            (sp, payload, context, ct) => sp.GetRequiredService<THandler>().HandleAsync(
                payload.Deserialize<TEffect>(LifecycleJson.Options)
                    ?? throw new InvalidOperationException($"Effect {context.EffectId} has an empty payload."),
                context,
                ct)));
        return services;
    }

    private static StorageConnection Storage(IServiceProvider services, string service) =>
        StorageConnection.For(services.GetRequiredService<IConfiguration>(), StorageSetting, service);

    private static string NamePrefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[NamePrefixSetting] ?? "";
}
