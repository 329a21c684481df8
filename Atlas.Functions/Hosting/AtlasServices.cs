using System.Text.Json;
using Atlas.Core.Common;
using Atlas.Functions.Common;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;
using Atlas.Functions.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Hosting;

/// <summary>
/// The runtime's services (the lifecycle store, outbox, effect dispatch, HTTP plumbing, telemetry) and the calls a
/// feature registers with: <see cref="AddLifecycle"/>, <see cref="AddFlow"/>, <see cref="AddEffect"/>, <see cref="AddStateMetrics"/>,
/// <see cref="AddTables"/>, <see cref="AddQueues"/>. It names no feature; <c>Atlas.Functions.AtlasApp</c> adds them.
/// </summary>
public static class AtlasServices
{
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>Put before every table and queue name (lower-case letters and digits), to share an account. Queue
    /// triggers name their queues with it too (<c>%Storage:NamePrefix%effects</c>), so it is set, empty, in Azure.</summary>
    public const string NamePrefixSetting = "Storage:NamePrefix";

    /// <summary>The runtime alone: what every feature runs on.</summary>
    public static IServiceCollection AddAtlasRuntime(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
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
        }

        services.AddSingleton<IValidateOptions<FlowOptions>>(new OptionsProblems<FlowOptions>(o => o.Problems()));

        services.TryAddSingleton<RandomSource>();
        services.AddSingleton(FunctionIndex.App);
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<InstanceLocks>();
        services.AddSingleton<StateCache>();
        services.AddSingleton<RelayIndex>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<RelayedOutboxes>();
        services.AddSingleton<EffectRoutes>();
        services.AddSingleton<FlowRoutes>();
        services.AddSingleton<FlowsKnownRunning>();
        services.AddSingleton<FlowHandOff>();
        services.AddSingleton<DirectEffects>();
        services.AddSingleton<LifecycleRegistry>();
        services.AddSingleton<RelayScan>();
        services.AddSingleton<DeadlineFiring>();
        services.AddSingleton<EffectDispatcher>();
        services.AddTables(LifecycleKeys.Table, RelayIndex.Table, IdempotencyKeys.Table);
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<RelaysAtStop>();

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

    /// <summary>Has <paramref name="orchestrator"/> follow a lifecycle: keep its deadlines and take its steps (the effects
    /// routed to <see cref="FlowFact.StepQueue"/>). <paramref name="flowOf"/> names the flow instance an instance belongs
    /// to (several lifecycles may share one), <paramref name="isOver"/> says when the flow has nothing more to do for it,
    /// <paramref name="awaits"/> which other instances the flow must hear over before it ends, and
    /// <paramref name="settings"/> what a flow keeps from the settings when it starts.</summary>
    public static IServiceCollection AddFlow<TState>(
        this IServiceCollection services,
        string lifecycle,
        string orchestrator,
        Func<string, string> flowOf,
        Func<TState, bool> isOver,
        Func<TState, IReadOnlyList<string>>? awaits = null,
        Func<IServiceProvider, object?>? settings = null)
        where TState : class
    {
        services.AddSingleton(new FlowRoute(
            lifecycle, orchestrator, flowOf, state => isOver((TState)state), state => awaits?.Invoke((TState)state) ?? [], settings ?? (_ => null)));
        return services;
    }

    /// <summary>Counts a lifecycle's committed changes in the feature's metrics (<typeparamref name="TMetrics"/>,
    /// resolvable itself for the feature's other counters).</summary>
    public static IServiceCollection AddStateMetrics<TState, TCommand, TMetrics>(this IServiceCollection services)
        where TState : class
        where TCommand : class
        where TMetrics : class, IStateMetrics<TState, TCommand>
    {
        services.TryAddSingleton<TMetrics>();
        services.AddSingleton<IStateMetrics<TState, TCommand>>(sp => sp.GetRequiredService<TMetrics>());
        return services;
    }

    /// <summary>Routes an effect type to a queue under a stable kind name, carried out by <typeparamref name="THandler"/>.
    /// A queue other than the default one needs its queue function, declared by the feature (see <see cref="LifecycleFunctions"/>).
    /// <paramref name="direct"/>: the relay carries it out itself, the queue only its retry (<see cref="DirectEffects"/>).</summary>
    public static IServiceCollection AddEffect<TEffect, THandler>(
        this IServiceCollection services, string kind, string queue = EffectRoutes.DefaultQueue, bool direct = false)
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
                ct),
            direct));
        return services;
    }

    /// <summary>Tables a feature keeps: made before the app serves anything (<see cref="StorageInitializer"/>).</summary>
    public static IServiceCollection AddTables(this IServiceCollection services, params string[] names)
    {
        foreach (var name in names)
        {
            services.AddSingleton<StorageName>(new StorageName.Table(name));
        }

        return services;
    }

    /// <summary>Queues no function of the app triggers on (a trigger's queue is made anyway), made before it serves.</summary>
    public static IServiceCollection AddQueues(this IServiceCollection services, params string[] names)
    {
        foreach (var name in names)
        {
            services.AddSingleton<StorageName>(new StorageName.Queue(name));
        }

        return services;
    }

    private static StorageConnection Storage(IServiceProvider services, string service) =>
        StorageConnection.For(services.GetRequiredService<IConfiguration>(), StorageSetting, service);

    private static string NamePrefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[NamePrefixSetting] ?? "";
}
