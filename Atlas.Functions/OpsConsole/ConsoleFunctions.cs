using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.OpsConsole;

/// <summary>
/// GET /api/console/…: the operators' console (docs/console.md), a static web app built from console/ into the
/// assembly, so it deploys with the function app and needs nothing else. Anyone may load the files: they hold no
/// data; every view asks the API with the signed-in user's own token.
/// </summary>
public static class ConsoleFunctions
{
    [Function("Console")]
    [Anyone]
    public static IResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest http, string? path, ConsoleFiles files)
    {
        // The page's own addresses are absolute, but a bookmark of /api/console should still land on the page.
        if (string.IsNullOrEmpty(path) && !http.Path.Value!.EndsWith('/'))
        {
            return Results.Redirect("/api/console/");
        }

        return files.Find(string.IsNullOrEmpty(path) ? ConsoleFiles.Index : path) is { } file
            ? new ConsoleFileResult(file)
            : Problems.NotFound($"/api/console/{path}");
    }
}
