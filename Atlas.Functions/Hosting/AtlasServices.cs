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
using Atlas.Functions.Payments;
using Atlas.Functions.Queues;
using Atlas.Functions.Quotes;
using Atlas.Functions.Rides;
using Atlas.Functions.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Atlas.Functions.Hosting;

/// <summary>Everything Atlas.Functions registers: plain DI, concrete types, interfaces only for the ports.</summary>
public static class AtlasServices
{
    public const string StorageSetting = FunctionMetadata.StorageConnectionSetting;
    public const string StandalonePort = "7071";
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Put before every table and queue name (lower-case letters and digits), to share an account.</summary>
    public const string NamePrefixSetting = "Storage:NamePrefix";

    public static WebApplicationBuilder AddAtlas(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddLocalSettings(Directory.GetCurrentDirectory());
        ListenWhereTheHostExpects(builder);

        // No request of this API needs more than a few kilobytes; a huge body is refused before it is read.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // One line per entry, with the scope (lifecycle, instance id, effect id) on it; framework chatter off.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        var services = builder.Services;
        services.Configure<HostingOptions>(builder.Configuration.GetSection(HostingOptions.Section));
        services.PostConfigure<HostingOptions>(o => o.Mode = HostingOptions.Detect(builder.Configuration));
        services.Configure<LifecycleOptions>(builder.Configuration.GetSection(LifecycleOptions.Section));
        services.Configure<QueueOptions>(builder.Configuration.GetSection(QueueOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITableStore>(sp => new AzureTableStore(StorageClients.Tables(StorageConnectionString(sp)), NamePrefix(sp)));
        services.TryAddSingleton<IQueueClient>(sp => new AzureStorageQueues(
            StorageClients.Queues(StorageConnectionString(sp)), NamePrefix(sp) is { Length: > 0 } prefix ? prefix + "-" : ""));

        services.TryAddSingleton<RandomSource>();
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<InstanceLocks>();
        services.AddSingleton<StateCache>();
        services.AddSingleton<DueIndex>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<EffectRoutes>();
        services.AddSingleton<LifecycleRegistry>();
        services.AddSingleton<TimerScan>();
        services.AddSingleton<EffectDispatcher>();
        services.AddSingleton<QueuePump>();

        services.AddSingleton(sp =>
        {
            var catalog = new FunctionCatalog();
            foreach (var declare in sp.GetServices<FunctionDeclaration>())
            {
                declare(catalog, sp);
            }

            return catalog;
        });
        services.AddFunctions(HealthFunctions.Declare);
        services.AddFunctions(LifecycleOpsFunctions.Declare);
        services.AddFunctions(LifecycleFunctions.Declare);
        services.AddFunctions(OpenApiFunctions.Declare);
        services.AddNotifications(builder.Configuration, builder.Environment);
        services.AddAuth(builder.Configuration);
        services.AddCompanies();
        services.AddQuotes(builder.Configuration);
        services.AddBookings(builder.Configuration);
        services.AddRides(builder.Configuration);
        services.AddPayments(builder.Configuration);
        services.AddIntegrationEvents(builder.Configuration);

        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<StandaloneTriggers>();

        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionProblems>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new StrictEnumConverter());

            // A field the endpoint does not know is refused, not ignored: a body that tries to set a role or a
            // status gets a 400 naming it instead of silently doing less than the caller meant.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

            // A number is a JSON number: "1000" in quotes is a wrong type, not an amount (the web default reads it).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(OpenApiFunctions.DocumentName, o => o.DescribeAccess());
        return builder;
    }

    /// <summary>Adds a feature's function declarations to the catalog.</summary>
    public static IServiceCollection AddFunctions(this IServiceCollection services, FunctionDeclaration declaration) =>
        services.AddSingleton(declaration);

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

    private static string StorageConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[StorageSetting] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The setting {StorageSetting} is missing (see local.settings.sample.json).");

    private static string NamePrefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[NamePrefixSetting] ?? "";

    private static void ListenWhereTheHostExpects(WebApplicationBuilder builder)
    {
        if (HostingOptions.Detect(builder.Configuration) == HostingMode.CustomHandler)
        {
            var port = builder.Configuration[HostingOptions.CustomHandlerPortVariable] ?? StandalonePort;
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls($"http://localhost:{StandalonePort}");
        }
    }
}
