using System.Reflection;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Atlas.Functions.Ops;

/// <summary>
/// Worker middleware, innermost: after an <see cref="AuditedAttribute"/> function has answered a signed-in caller, the
/// action goes into the <see cref="AuditLog"/> with who, when, the request and the answer. A call refused before it
/// reached the function (no token, the wrong role, a body that does not parse) did nothing and is not recorded.
/// </summary>
public sealed class AuditTrail(FunctionIndex functions, AuditLog audit, RandomSource random, TimeProvider clock, ILogger<AuditTrail> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await next(context);
        if (functions.FindHttp(context.FunctionDefinition.Name) is not { } function
            || function.Method.GetCustomAttribute<AuditedAttribute>() is not { } audited
            || AccessControl.CallerOf(context) is not { } caller
            || context.GetHttpContext() is not { } http)
        {
            return;
        }

        var result = context.GetInvocationResult().Value;
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var entry = new AuditEntry(
            random.NewId("aud"),
            clock.GetUtcNow(),
            caller.UserId,
            caller.Phone,
            JsonNaming(caller.Role.ToString()),
            caller.CompanyId,
            audited.Action,
            $"{http.Request.Method} {http.Request.Path}",
            status,
            Outcome(result, status));
        try
        {
            await audit.RecordAsync(entry, context.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The action happened and its answer stands; a lost entry is logged with everything it would have said.
            logger.LogError(e, "Audit entry not recorded: {Action} {Target} by {ActorId} answered {Status}", entry.Action, entry.Target, entry.ActorId, entry.Status);
        }
    }

    private static string Outcome(object? result, int status) => result switch
    {
        IValueHttpResult { Value: Microsoft.AspNetCore.Mvc.ProblemDetails problem } => string.Join(
            " ", new[] { problem.Title, problem.Detail }.Concat(Errors(problem)).Where(s => !string.IsNullOrEmpty(s))),
        _ when status >= 400 => $"Refused ({status}).",
        _ => "Done.",
    };

    private static IEnumerable<string?> Errors(Microsoft.AspNetCore.Mvc.ProblemDetails problem) =>
        problem is HttpValidationProblemDetails validation ? validation.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") : [];

    private static string JsonNaming(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
