using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

public sealed class OpenApiTests : IClassFixture<AtlasAppFactory>
{
    private readonly HttpClient _client;

    public OpenApiTests(AtlasAppFactory app) => _client = app.CreateClient();

    [Fact]
    public async Task The_document_lists_every_http_function_under_api()
    {
        var document = await HttpAssert.JsonAsync(await _client.GetAsync("/api/openapi.json"));

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/health", "/api/ops/lifecycles/{type}/{id}", "/api/jobs/{id}", "/api/jobs/{id}/work" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
    }
}
