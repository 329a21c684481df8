using System.Net;
using System.Text;
using Atlas.Functions.Notifications;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>Every error is RFC 9457 problem+json naming what is wrong, through the Functions host as a client meets
/// it; bad input never reaches storage (no sign-in starts, so no text goes out).</summary>
public sealed class ProblemJsonTests : IClassFixture<AtlasAppFactory>
{
    private readonly AtlasAppFactory _app;
    private readonly HttpClient _client;

    public ProblemJsonTests(AtlasAppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    private Task<HttpResponseMessage> PostRaw(string path, string body) =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Texts sent so far, once the app has done all it was asked to.</summary>
    private async Task<int> TextsSentAsync()
    {
        await _app.DrainAsync();
        return _app.Services.GetRequiredService<SmsRecorder>().Count;
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await HttpAssert.ProblemAsync(await _client.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await _client.PostAsync("/api/no/such/thing", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem_that_says_which_are_allowed()
    {
        var response = await _client.DeleteAsync("/api/health");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem()
    {
        var response = await PostRaw("/api/auth/otp", "{not json");

        await HttpAssert.ValidationProblemAsync(response, "body");
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        var response = await PostRaw("/api/auth/otp", "");

        await HttpAssert.ValidationProblemAsync(response, "body");
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_a_400_naming_the_field()
    {
        var response = await PostRaw("/api/auth/otp", """{"phone":447700900123}""");

        await HttpAssert.ValidationProblemAsync(response, "phone");
    }

    [Fact]
    public async Task A_field_the_endpoint_does_not_know_is_a_400_naming_it_and_nothing_is_done()
    {
        var before = await TextsSentAsync();

        var response = await PostRaw("/api/auth/otp", """{"phone":"+447700900123","role":"platformAdmin"}""");

        await HttpAssert.ValidationProblemAsync(response, "role");
        Assert.Equal(before, await TextsSentAsync());
    }

    [Fact]
    public async Task A_missing_field_is_a_400_naming_the_field_and_its_rule()
    {
        var response = await PostRaw("/api/auth/otp", "{}");

        var rule = await HttpAssert.ValidationProblemAsync(response, "phone");
        Assert.Contains("E.164", rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_string_is_a_400_and_nothing_is_done()
    {
        var before = await TextsSentAsync();

        var response = await _client.PostAsJsonAsync("/api/auth/otp", new { phone = new string('1', 50_000) });

        await HttpAssert.ValidationProblemAsync(response, "phone");
        Assert.Equal(before, await TextsSentAsync());
    }

    [Fact]
    public async Task A_body_too_large_to_read_is_a_413_and_nothing_is_done()
    {
        var before = await TextsSentAsync();

        var response = await _client.PostAsJsonAsync("/api/auth/otp", new { phone = new string('1', 1_000_000) });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await TextsSentAsync());
    }

    [Fact]
    public async Task A_body_without_a_length_that_grows_too_large_is_a_413()
    {
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"phone":"{{new string('1', 100_000)}}"}""")));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/otp") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;

        await HttpAssert.ProblemAsync(await _client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_naming_it()
    {
        var rider = await Accounts.SignInAsync(_app);

        await HttpAssert.ValidationProblemAsync(await rider.Client.GetAsync("/api/bookings?limit=lots"), "limit");
    }

    [Fact]
    public async Task A_command_the_lifecycle_refuses_is_a_409_with_its_reason()
    {
        var challengeId = await Accounts.StartAsync(_client, Accounts.NewPhone());
        _app.Clock.Advance(TimeSpan.FromMinutes(6));

        var response = await Accounts.VerifyAsync(_client, challengeId, "123456");

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("challenge-expired", problem.GetProperty("code").GetString());
        Assert.Equal("This code has expired; start again.", problem.GetProperty("detail").GetString());
    }
}
