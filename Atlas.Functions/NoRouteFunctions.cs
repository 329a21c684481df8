using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions;

/// <summary>
/// Every request under /api that no other function's route takes: the host's routing gives a catch-all the lowest
/// precedence, so this answers only what would otherwise be the host's bare 404. A path another function serves with
/// other methods is 405 with Allow; anything else 404, both as problem+json. It belongs to the app, not the runtime:
/// it is open to anyone by the access rules of Auth.
/// </summary>
public static class NoRouteFunctions
{
    [Function("NoRoute")]
    [Anyone]
    public static IResult Answer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest http, string? path, FunctionIndex functions)
    {
        var allowed = functions.Http
            .Where(f => !f.Route.Contains('*', StringComparison.Ordinal) && Matches(f.Route, path ?? ""))
            .SelectMany(f => f.Methods)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return allowed.Count == 0
            ? Problems.NotFound($"/api/{path}")
            : new WithHeader(
                Results.Problem(
                    statusCode: StatusCodes.Status405MethodNotAllowed,
                    title: "Method not allowed.",
                    detail: $"/api/{path} takes {string.Join(", ", allowed)}."),
                "Allow",
                string.Join(", ", allowed));
    }

    private static bool Matches(string route, string path) =>
        new TemplateMatcher(TemplateParser.Parse(route), new RouteValueDictionary()).TryMatch("/" + path, new RouteValueDictionary());
}
