using Atlas.Functions.Hosting;
using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Atlas.Functions.Telemetry;

/// <summary>
/// Traces, metrics and logs through OpenTelemetry, exported to Application Insights when its connection string is set
/// (as infra/ sets it). Without one nothing listens, so Atlas's spans are never made and its counters cost a check.
/// </summary>
public static class TelemetrySetup
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>Authorization=AAD</c> (with <c>;ClientId=…</c> for a user-assigned identity): the resource takes
    /// no instrumentation key alone, so the app's identity signs what it sends.</summary>
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IServiceCollection AddAtlasTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton<AtlasMetrics>();
        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            services.AddOpenTelemetry().WithAtlasSignals().UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                o.Credential = Credential(configuration[AuthenticationSetting]);
            });
        }

        return services;
    }

    /// <summary>What Atlas sends, whatever it is sent to: the worker's invocation spans (continuing the host's
    /// trace), Atlas's spans and metrics, and logs with their scopes (function, invocation, lifecycle, effect ids).</summary>
    public static IOpenTelemetryBuilder WithAtlasSignals(this IOpenTelemetryBuilder builder)
    {
        builder.Services.Configure<OpenTelemetryLoggerOptions>(o => o.IncludeScopes = true);
        return builder
            .UseFunctionsWorkerDefaults()
            .WithTracing(t => t.AddSource(AtlasTelemetry.Name))
            .WithMetrics(m => m.AddMeter(AtlasTelemetry.Name))
            .WithLogging();
    }

    /// <summary>The identity an authentication string names, or none (instrumentation key only).</summary>
    public static TokenCredential? Credential(string? authentication)
    {
        var parts = (authentication ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && kind.Equals("AAD", StringComparison.OrdinalIgnoreCase)
            ? AppIdentity.For("managedidentity", parts.GetValueOrDefault("ClientId"))
            : null;
    }
}
