using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Auth;

/// <summary>
/// Worker middleware around every HTTP function: authenticates the bearer token, then authorises by the function's
/// declared access: 401 without a valid token, 403 with the wrong role. A function that declares no access is
/// refused: deny by default. The caller is put on the invocation for the function's <see cref="Caller"/> parameter.
/// </summary>
public sealed class AccessControl(FunctionIndex functions, AccessTokens tokens, ILogger<AccessControl> logger) : IFunctionsWorkerMiddleware
{
    /// <summary>Keyed by its type, so the function's <see cref="Caller"/> parameter is bound from it.</summary>
    private static readonly object CallerKey = typeof(Caller);

    public static Caller? CallerOf(FunctionContext context) => context.Items.TryGetValue(CallerKey, out var caller) ? caller as Caller : null;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (functions.FindHttp(context.FunctionDefinition.Name) is not { } function || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        if (function.Access is not { } access)
        {
            logger.LogError("Function {Function} declares no access rule; refused", function.Name);
            context.Answer(Problems.Forbidden("This endpoint is not open to anyone."));
            return;
        }

        // Open functions do not look at the token at all: an app refreshing with its expired access token still
        // attached must not be turned away.
        if (!access.IsAnonymous)
        {
            var header = http.Request.Headers.Authorization.ToString();
            if (header.Length == 0)
            {
                context.Answer(Problems.Unauthorized("missing-token", "Sign in and send the access token as 'Authorization: Bearer …'."));
                return;
            }

            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || await tokens.ValidateAsync(header["Bearer ".Length..].Trim()) is not { } caller)
            {
                context.Answer(Problems.Unauthorized("invalid-token", "The access token is not valid; refresh it or sign in again."));
                return;
            }

            if (!access.Allows(caller.Role))
            {
                context.Answer(Problems.Forbidden("Your role does not allow this."));
                return;
            }

            context.Items[CallerKey] = caller;
        }

        await next(context);
    }
}
