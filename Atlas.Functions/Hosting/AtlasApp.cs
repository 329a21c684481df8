using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Hosting;

/// <summary>The HTTP pipeline: problem+json for every error, access control and rate limits, the catalog's routes under /api, the OpenAPI
/// document, and in custom-handler mode the host's invocation endpoints.</summary>
public static class AtlasApp
{
    public const string RoutePrefix = "/api";

    public static WebApplication UseAtlas(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<AccessControl>();
        app.UseRateLimiter();

        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var api = app.MapGroup(RoutePrefix);
        foreach (var function in catalog.All.OfType<HttpFunction>())
        {
            var endpoint = api.MapMethods(function.Route, [function.Method], function.Handler)
                .WithName(function.Name)
                .WithMetadata(function.Access);
            if (function.RateLimit is { } policy)
            {
                endpoint.RequireRateLimiting(policy);
            }
        }

        if (app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.Mode == HostingMode.CustomHandler)
        {
            CustomHandlerInvocations.Map(app, catalog);
        }

        return app;
    }
}
