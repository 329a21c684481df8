using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Companies;
using Atlas.Functions.Hosting;
using Atlas.Functions.Http;
using Atlas.Functions.Integration;
using Atlas.Functions.Ledger;
using Atlas.Functions.Notifications;
using Atlas.Functions.Ops;
using Atlas.Functions.OpsConsole;
using Atlas.Functions.Payments;
using Atlas.Functions.Privacy;
using Atlas.Functions.Stripe;
using Atlas.Functions.Quotes;
using Atlas.Functions.Rides;
using Atlas.Functions.Settlement;
using Atlas.Functions.Telemetry;
using Atlas.Functions.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Options;

namespace Atlas.Functions;

/// <summary>
/// The app: the runtime (<see cref="AtlasServices.AddAtlasRuntime"/>) and every feature on it, and the middleware around
/// every function. The one place that names them all; plain DI, concrete types, interfaces only for the ports.
/// </summary>
public static class AtlasApp
{
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
        services.AddAtlasRuntime(configuration, environment);
        if (!environment.IsDevelopment())
        {
            services.AddOptions<DevelopmentParts.Check>().ValidateOnStart();
            services.AddSingleton<IValidateOptions<DevelopmentParts.Check>>(new OptionsProblems<DevelopmentParts.Check>(_ => DevelopmentParts.Problems(configuration)));
        }

        services.AddOps();
        services.AddSingleton<ClientAddress>();
        services.AddOpsConsole();

        services.AddNotifications(configuration, environment);
        services.AddAuth(configuration);
        services.AddCompanies();
        services.AddQuotes(configuration);
        services.AddBookings(configuration);
        services.AddRides(configuration);
        services.AddStripeClients(); // Stripe's API, shared by the features that move money
        services.AddPayments(configuration);
        services.AddLedger();
        services.AddSettlement(configuration);
        services.AddStripeWebhooks();
        services.AddIntegrationEvents(configuration);
        services.AddPrivacy(configuration);
        return services;
    }
}
