using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.LocalHost.Tests.Infrastructure;

namespace Atlas.LocalHost.Tests;

[Collection(HostCollection.Name)]
public sealed class HttpTriggerTests(HostFixture fixture)
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Get_on_a_constrained_route_binds_the_route_value_and_query()
    {
        var item = await _http.GetFromJsonAsync<JsonElement>("api/items/42?tag=blue");

        Assert.Equal(42, item.GetProperty("id").GetInt32());
        Assert.Equal("item 42", item.GetProperty("name").GetString());
        Assert.Equal("blue", item.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Post_on_the_same_route_reaches_the_function_with_its_body_and_status()
    {
        using var response = await _http.PostAsync("api/items/7", new StringContent("hello body"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, echoed.GetProperty("id").GetInt32());
        Assert.Equal("hello body", echoed.GetProperty("received").GetString());
    }

    [Theory]
    [InlineData("GET", "api/items/abc")]
    [InlineData("DELETE", "api/items/7")]
    [InlineData("GET", "api/nowhere")]
    [InlineData("GET", "items/7")]
    public async Task Requests_matching_no_function_route_and_method_are_404(string method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_function_without_a_route_is_served_at_its_name_and_sees_the_callers_host()
    {
        var ping = await _http.GetFromJsonAsync<JsonElement>("api/Ping");

        Assert.Equal($"localhost:{fixture.Host.BaseAddress.Port}", ping.GetProperty("host").GetString());
        Assert.Equal(fixture.Host.WorkerProcessId, ping.GetProperty("processId").GetInt32());
    }

    [Fact]
    public async Task An_invocation_continues_the_trace_of_the_callers_traceparent()
    {
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/Ping");
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");

        using var response = await _http.SendAsync(request);

        var ping = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TraceId, ping.GetProperty("traceParent").GetString()!.Split('-')[1]);
    }

    [Fact]
    public async Task A_function_that_throws_answers_500_problem_json()
    {
        using var response = await _http.GetAsync("api/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Contains("Boom on purpose.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_logs_reach_the_host_log_with_the_invocation_in_scope()
    {
        await _http.GetAsync("api/Ping");

        var lines = await fixture.Log.WaitForAsync(line => line.Contains("SampleWorker.Ping: Ping from", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains(lines, line => line.Contains("info SampleWorker.Ping", StringComparison.Ordinal) && line.Contains("Function=Ping", StringComparison.Ordinal) && line.Contains("InvocationId=", StringComparison.Ordinal));
    }
}
