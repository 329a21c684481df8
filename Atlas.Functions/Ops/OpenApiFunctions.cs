using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/openapi.json: the OpenAPI document of every HTTP function. Declared in the catalog like
/// any other route so the Functions host forwards it too.</summary>
public static class OpenApiFunctions
{
    public const string DocumentName = "v1";

    public static void Declare(FunctionCatalog catalog, IServiceProvider services) =>
        catalog.Http("OpenApi", "GET", "openapi.json", Access.Anyone, GetAsync);

    private static async Task<IResult> GetAsync(
        [FromKeyedServices(DocumentName)] IOpenApiDocumentProvider documents, CancellationToken ct)
    {
        // The writer is synchronous, so the document is rendered to a string rather than onto the response.
        var document = await documents.GetOpenApiDocumentAsync(ct);
        var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct);
        return Results.Text(json, "application/json; charset=utf-8");
    }
}
