using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atlas.Demo;

/// <summary>Calls to the API as the apps make them: JSON in and out, a bearer token, an idempotency key where one
/// is asked for. An answer that is not 2xx stops the demo with its problem+json detail (and, from a 429 or 503,
/// when to try again).</summary>
public sealed class AtlasApi(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress!;

    public Task<JsonElement> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token);

    public Task<JsonElement> PostAsync(string path, object? body = null, string? token = null, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, token, body ?? new { }, idempotencyKey);

    public Task<JsonElement> PutAsync(string path, object body, string token) => SendAsync(HttpMethod.Put, path, token, body);

    /// <summary>Asks again every half second until <paramref name="done"/> holds; gives up after a minute.</summary>
    public async Task<JsonElement> PollAsync(string path, string? token, Func<JsonElement, bool> done, string waitingFor)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            var answer = await TryGetAsync(path, token);
            if (answer is { } found && done(found))
            {
                return found;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new DemoFailure($"Waited a minute for {waitingFor}; GET {path} still says {(answer is { } last ? last.ToString() : "404")}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>What is made after the request that leads to it (a ride's payment opens a moment after its award) may
    /// not be there yet: a 404 is "not yet" to a poll.</summary>
    private async Task<JsonElement?> TryGetAsync(string path, string? token)
    {
        try
        {
            return await GetAsync(path, token);
        }
        catch (DemoFailure failure) when (failure.Status == 404)
        {
            return null;
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            var retry = response.Headers.RetryAfter?.Delta is { } wait ? $" Try again in {Duration(wait)}." : "";
            throw new DemoFailure($"{method} /api/{path.TrimStart('/')} answered {(int)response.StatusCode}: {Detail(text)}{retry}", (int)response.StatusCode);
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Duration(TimeSpan wait) => wait >= TimeSpan.FromMinutes(2)
        ? $"{Math.Ceiling(wait.TotalMinutes)} min"
        : $"{Math.Ceiling(wait.TotalSeconds)} s";

    /// <summary>The problem's detail (or its title) and the fields at fault, in the API's words.</summary>
    private static string Detail(string problem)
    {
        try
        {
            var json = JsonDocument.Parse(problem).RootElement;
            if (json.ValueKind != JsonValueKind.Object)
            {
                return problem;
            }

            var what = json.TryGetProperty("detail", out var detail) ? detail.GetString()
                : json.TryGetProperty("title", out var title) ? title.GetString()
                : null;
            var fields = json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                ? errors.EnumerateObject().Select(e => $" {e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(r => r.GetString()))}")
                : [];
            return what is null ? problem : what + string.Concat(fields);
        }
        catch (JsonException)
        {
            return problem;
        }
    }
}
