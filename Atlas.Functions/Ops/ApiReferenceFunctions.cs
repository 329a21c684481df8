using System.IO.Compression;
using Atlas.Functions.Auth;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>
/// GET /api/reference: the API reference for people, Scalar's page over <c>/api/openapi.json</c>. Its script is the one
/// Scalar.AspNetCore ships inside its assembly (gzipped), served from here: the page loads nothing from elsewhere, and
/// its Content-Security-Policy holds it to that.
/// </summary>
public static class ApiReferenceFunctions
{
    // Scalar.AspNetCore serves this resource itself from MapScalarApiReference, which needs ASP.NET Core's routing;
    // under the Functions host the route is a function, so the resource is read by its name.
    private const string ScriptResource = "ScalarStaticAssets.scalar.js";

    private const string Policy =
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";

    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Atlas API reference</title>
        </head>
        <body>
          <div id="app"></div>
          <script src="/api/reference/scalar.js"></script>
          <script>
            Scalar.createApiReference('#app', {
              url: '/api/openapi.json',
              documentDownloadType: 'json',
              withDefaultFonts: false,
              telemetry: false,
              showDeveloperTools: 'never',
              agent: { disabled: true },
            })
          </script>
        </body>
        </html>
        """;

    [Function("ApiReference")]
    [Anyone]
    [Http.Responds(StatusCodes.Status200OK, ContentType = "text/html", Description = "The API reference page.")]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reference")] HttpRequest http)
    {
        http.HttpContext.Response.Headers.ContentSecurityPolicy = Policy;
        return Results.Content(Page, "text/html; charset=utf-8");
    }

    [Function("ApiReferenceScript")]
    [Anyone]
    [Http.Responds(StatusCodes.Status200OK, ContentType = "text/javascript", Description = "Scalar's script for the reference page.")]
    public static IResult GetScript([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reference/scalar.js")] HttpRequest http)
    {
        var gzipped = typeof(Scalar.AspNetCore.ScalarOptions).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"Scalar.AspNetCore no longer holds {ScriptResource}.");
        var response = http.HttpContext.Response;
        response.Headers.CacheControl = "public, max-age=86400";
        response.Headers.Vary = "Accept-Encoding";
        if (http.Headers.AcceptEncoding.Any(e => e?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true))
        {
            response.Headers.ContentEncoding = "gzip";
            return Results.Stream(gzipped, "text/javascript; charset=utf-8");
        }

        return Results.Stream(new GZipStream(gzipped, CompressionMode.Decompress), "text/javascript; charset=utf-8");
    }
}
