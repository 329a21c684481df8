using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/openapi.json: the OpenAPI document of every HTTP function (<see cref="OpenApiDocument"/>).</summary>
public static class OpenApiFunctions
{
    // The document is read by people and tools: apostrophes and '+' as they are, not as \u0027.
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string? _document;

    [Function("OpenApi")]
    [Anyone]
    [Http.Responds(StatusCodes.Status200OK)]
    public static IResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest http, FunctionIndex functions, IServiceProviderIsService services)
    {
        // The declarations do not change while the app runs: the document is made once.
        _document ??= OpenApiDocument.Build(functions, services).ToJsonString(Readable);
        return Results.Text(_document, "application/json; charset=utf-8");
    }
}
