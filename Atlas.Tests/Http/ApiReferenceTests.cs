using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>GET /api/reference: the API reference page for people, drawn by Scalar from /api/openapi.json with the
/// script the app serves itself; nothing is loaded from elsewhere.</summary>
public sealed partial class ApiReferenceTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    [Fact]
    public async Task The_page_draws_the_document_with_the_apps_own_script_and_loads_nothing_from_elsewhere()
    {
        var response = await app.CreateClient().GetAsync("/api/reference");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["/api/reference/scalar.js"], Sources().Matches(page).Select(m => m.Groups["src"].Value));
        Assert.Contains("url: '/api/openapi.json'", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http", page, StringComparison.OrdinalIgnoreCase);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_script_is_Scalars_gzipped_to_clients_that_take_gzip_and_plain_to_others()
    {
        var client = app.CreateClient();

        using var gzip = new HttpRequestMessage(HttpMethod.Get, "/api/reference/scalar.js");
        gzip.Headers.AcceptEncoding.ParseAdd("gzip");
        var zipped = await client.SendAsync(gzip);
        var plain = await client.GetAsync("/api/reference/scalar.js");

        Assert.Equal("text/javascript", zipped.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
        await using var unzipped = new GZipStream(await zipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var script = await new StreamReader(unzipped).ReadToEndAsync();
        Assert.Contains("createApiReference", script, StringComparison.Ordinal);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(script, await plain.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"<(script|img)[^>]*\ssrc=""(?<src>[^""]*)""|<link[^>]*\shref=""(?<src>[^""]*)""")]
    private static partial Regex Sources();
}
