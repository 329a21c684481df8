using System.Collections.Concurrent;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/openapi.json: the OpenAPI document of every HTTP function of this environment (<see cref="OpenApiDocument"/>).</summary>
public static class OpenApiFunctions
{
    // The document is read by people and tools: apostrophes and '+' as they are, not as \u0027.
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The declarations do not change while the app runs: the document is made once per environment (one process may
    // hold workers of several, as the tests do).
    private static readonly ConcurrentDictionary<bool, string> Documents = new();

    [Function("OpenApi")]
    [Anyone]
    [Http.Responds(StatusCodes.Status200OK, ContentType = "application/json", Description = "This document (OpenAPI 3.1).")]
    public static IResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest http, FunctionIndex functions, IServiceProviderIsService services, IHostEnvironment environment)
    {
        var document = Documents.GetOrAdd(environment.IsDevelopment(), development => OpenApiDocument.Build(functions, services, development).ToJsonString(Readable));
        return Results.Text(document, "application/json; charset=utf-8");
    }
}
