using Atlas.Functions.Functions;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

public sealed class OpenApiTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task The_document_lists_every_http_function_under_api()
    {
        var document = await HttpAssert.JsonAsync(await app.CreateClient().GetAsync("/api/openapi.json"));

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        foreach (var function in FunctionIndex.App.Http.Where(f => !f.Route.Contains('*', StringComparison.Ordinal)))
        {
            var path = "/api/" + function.Route;
            Assert.True(
                paths.TryGetProperty(path, out var operations) && function.Methods.All(m => operations.TryGetProperty(m.ToLowerInvariant(), out _)),
                $"{string.Join(",", function.Methods)} {path} ({function.Name}) is missing from the OpenAPI document");
        }
    }

    [Fact]
    public async Task Operations_that_need_a_token_say_so_and_name_the_roles()
    {
        var document = await HttpAssert.JsonAsync(await app.CreateClient().GetAsync("/api/openapi.json"));
        var paths = document.GetProperty("paths");

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        var addMember = paths.GetProperty("/api/companies/{companyId}/members").GetProperty("post");
        Assert.True(addMember.GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.Equal("Allowed: companyAdmin.", addMember.GetProperty("description").GetString());
        Assert.False(paths.GetProperty("/api/auth/otp").GetProperty("post").TryGetProperty("security", out _));
    }
}
