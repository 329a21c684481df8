using System.Net;
using System.Text;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Http;

/// <summary>
/// The check every test client runs (<see cref="ContractCheck"/>): an answer the app's OpenAPI document does not
/// describe fails the request. Here the answers come from a stub in place of the app, checked against the document
/// the app serves.
/// </summary>
public sealed class ContractCheckTests(AtlasAppFactory app) : IClassFixture<AtlasAppFactory>
{
    private const string Booking = """{"quoteId":"q"}""";

    [Fact]
    public async Task A_status_the_operation_does_not_list_fails_the_request()
    {
        var failure = await FailsAsync(Post("/api/bookings", Booking, key: "k1"), Answer(HttpStatusCode.Gone, """{"title":"Gone.","status":410}""", "application/problem+json"));

        Assert.Contains("POST /api/bookings does not list 410", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_breaks_the_listed_schema_fails_the_request()
    {
        var failure = await FailsAsync(Get("/api/me"), Answer(HttpStatusCode.OK, """{"id":"usr_1","phone":"+447700900123","role":"pilot","companyId":null,"memberId":null}"""));

        Assert.Contains("the body breaks GET /api/me's 200 schema at /role", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_the_schema_does_not_name_fails_the_request()
    {
        var failure = await FailsAsync(Get("/api/me"), Answer(HttpStatusCode.OK, """{"id":"usr_1","phone":"+447700900123","role":"rider","companyId":null,"memberId":null,"secret":"x"}"""));

        Assert.Contains("/secret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_media_type_other_than_the_listed_one_fails_the_request()
    {
        var failure = await FailsAsync(Get("/api/me"), Answer(HttpStatusCode.Unauthorized, """{"title":"Not signed in.","status":401}""", "application/json"));

        Assert.Contains("answers 401 as application/problem+json, not application/json", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_where_the_document_lists_none_fails_the_request()
    {
        var failure = await FailsAsync(Post("/api/auth/logout", """{"refreshToken":"r"}"""), Answer(HttpStatusCode.NoContent, """{"ok":true}"""));

        Assert.Contains("answers 204 without a body, but there is one", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_success_for_a_request_the_document_refuses_fails_the_request()
    {
        var withoutKey = await FailsAsync(Post("/api/bookings", Booking, key: null), Answer(HttpStatusCode.Created, "", null));
        var wrongCapacity = await FailsAsync(
            Post("/api/companies/co_1/vehicles", """{"type":"car","capacity":{"seats":4,"kg":300},"plate":"AB12 CDE"}"""), Answer(HttpStatusCode.Created, "", null));

        Assert.Contains("the document requires the header parameter Idempotency-Key", withoutKey, StringComparison.Ordinal);
        Assert.True(wrongCapacity.Contains("the document refuses the request body at /capacity", StringComparison.Ordinal), wrongCapacity);
        Assert.Contains("yet the API answered 201", wrongCapacity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_no_function_declares_must_be_the_catch_all_problem()
    {
        var notFound = Answer(HttpStatusCode.NotFound, """{"title":"Not found.","status":404}""", "application/problem+json");

        await SendAsync(Get("/api/no/such/thing"), notFound);
        var failure = await FailsAsync(Get("/api/no/such/thing"), Answer(HttpStatusCode.OK, """{}"""));
        var wrongMethod = await FailsAsync(new HttpRequestMessage(HttpMethod.Patch, "/api/bookings"), notFound);

        Assert.Contains("the catch-all answers 404 problem+json", failure, StringComparison.Ordinal);
        Assert.Contains("the catch-all answers 405 problem+json", wrongMethod, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_the_document_describes_passes()
    {
        var response = await SendAsync(
            Get("/api/me"), Answer(HttpStatusCode.OK, """{"id":"usr_1","phone":"+447700900123","role":"rider","companyId":null,"memberId":null}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? mediaType = "application/json") => new(status)
    {
        Content = mediaType is null ? new ByteArrayContent([]) : new StringContent(body, Encoding.UTF8, mediaType),
    };

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpResponseMessage answer)
    {
        using var client = new HttpClient(new ContractCheck(() => OpenApiContract.ForAsync(app.App.BaseAddress, "Development"), new Stub(answer)))
        {
            BaseAddress = app.App.BaseAddress,
        };
        return await client.SendAsync(request);
    }

    private async Task<string> FailsAsync(HttpRequestMessage request, HttpResponseMessage answer) =>
        (await Assert.ThrowsAsync<UndocumentedAnswerException>(() => SendAsync(request, answer))).Message;

    /// <summary>Answers every request with the one answer, as the app would have.</summary>
    private sealed class Stub(HttpResponseMessage answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            answer.RequestMessage = request;
            return Task.FromResult(answer);
        }
    }
}
