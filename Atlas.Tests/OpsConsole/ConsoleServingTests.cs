using System.Net;
using Atlas.Functions.OpsConsole;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.OpsConsole;

/// <summary>The console's files as the app serves them: built by the build, with a policy that runs only their own
/// script and style, revalidated by ETag.</summary>
public sealed class ConsoleServingTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Theory]
    [InlineData("api/console/", "text/html")]
    [InlineData("api/console/app.js", "text/javascript")]
    [InlineData("api/console/styles.css", "text/css")]
    public async Task Each_file_is_served_with_its_type_and_a_strict_content_security_policy(string path, string type)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ConsoleFileResult.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", ConsoleFileResult.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", ConsoleFileResult.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0);
    }

    [Fact]
    public async Task The_page_loads_its_script_and_style_from_files_and_has_nothing_inline()
    {
        var page = await app.CreateClient().GetStringAsync("api/console/");

        Assert.Contains("<script type=\"module\" src=\"/api/console/app.js\"></script>", page, StringComparison.Ordinal);
        Assert.Equal(1, page.Split("<script", StringSplitOptions.None).Length - 1);
        Assert.DoesNotContain("<style", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" on", page.Replace(" content=", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_console_without_its_slash_redirects_to_the_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.App.BaseAddress };

        var response = await client.GetAsync("api/console");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/console/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_file_the_console_does_not_have_is_a_404_problem()
    {
        var response = await app.CreateClient().GetAsync("api/console/secrets.json");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_file_already_held_is_not_sent_again()
    {
        var client = app.CreateClient();
        var first = await client.GetAsync("api/console/app.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/console/app.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.Tag);

        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
    }
}
