using Atlas.Functions.Http;

namespace Atlas.Functions.Auth;

/// <summary>
/// Authenticates the bearer token, then authorises by the endpoint's <see cref="Access"/>: 401 without a valid
/// token, 403 with the wrong role. An /api endpoint that declares no access is refused: deny by default.
/// </summary>
public sealed class AccessControl(RequestDelegate next, AccessTokens tokens, ILogger<AccessControl> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var access = endpoint?.Metadata.GetMetadata<Access>();
        if (access is null && (endpoint is not RouteEndpoint || !context.Request.Path.StartsWithSegments(Hosting.AtlasApp.RoutePrefix)))
        {
            // No route (404 follows), the router's 405, or the Functions host's invocation endpoints (not under /api).
            await next(context);
            return;
        }

        if (access is null)
        {
            logger.LogError("Endpoint {Endpoint} declares no access rule; refused", endpoint?.DisplayName);
            await Problems.Forbidden("This endpoint is not open to anyone.").ExecuteAsync(context);
            return;
        }

        // Open routes do not look at the token at all: an app refreshing with its expired access token still
        // attached must not be turned away.
        if (!access.IsAnonymous)
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header.Length == 0)
            {
                await Problems.Unauthorized("missing-token", "Sign in and send the access token as 'Authorization: Bearer …'.").ExecuteAsync(context);
                return;
            }

            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || await tokens.ValidateAsync(header["Bearer ".Length..].Trim()) is not { } caller)
            {
                await Problems.Unauthorized("invalid-token", "The access token is not valid; refresh it or sign in again.").ExecuteAsync(context);
                return;
            }

            if (!access.Allows(caller.Role))
            {
                await Problems.Forbidden("Your role does not allow this.").ExecuteAsync(context);
                return;
            }

            context.Features.Set(caller);
        }

        await next(context);
    }
}
