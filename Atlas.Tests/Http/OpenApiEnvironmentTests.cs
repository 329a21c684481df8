using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>The OpenAPI document lists the routes that exist in the app's environment: outside Development the dev
/// inboxes answer 404, so the document leaves them out.</summary>
public sealed class OpenApiEnvironmentTests
{
    [Fact]
    public async Task Outside_Development_the_document_lists_no_dev_routes()
    {
        await using var production = new AtlasAppFactory(AppServices.OutsideDevelopment(), environment: "Production");

        var paths = (await HttpAssert.JsonAsync(await production.CreateClient().GetAsync("/api/openapi.json"))).GetProperty("paths");

        var listed = paths.EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(listed, p => p.StartsWith("/api/dev/", StringComparison.Ordinal));
        Assert.Contains("/api/bookings", listed);
        await HttpAssert.ProblemAsync(await production.CreateClient().GetAsync("/api/dev/sms?phone=%2B447700900123"), System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task In_Development_the_document_lists_the_dev_inboxes()
    {
        await using var development = new AtlasAppFactory();

        var paths = (await HttpAssert.JsonAsync(await development.CreateClient().GetAsync("/api/openapi.json"))).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/dev/sms", out _));
        Assert.True(paths.TryGetProperty("/api/dev/push", out _));
        Assert.True(paths.TryGetProperty("/api/dev/email", out _));
    }
}
