using System.Globalization;
using System.Text.Json.Nodes;

namespace Atlas.Tests.Infrastructure;

/// <summary>
/// In every test client of the app: each answer is checked against the app's OpenAPI document, and one the document
/// does not describe fails the request with <see cref="UndocumentedAnswerException"/>. The answer's status must be
/// listed for the operation (or its class, 5XX), its media type must be the listed one, its body must validate against
/// the listed schema, and an answer without a body must be one the document gives none. A success the document would
/// not allow — a request the document's own schemas or required parameters refuse, answered 2xx — fails as well: the
/// document is stricter than the API there.
/// <para>Requests under /api to a path or method no function declares are answered by the catch-all route, which no
/// OpenAPI path can name: those must be a 404 (no such path) or a 405 (another method) problem+json. Paths outside
/// /api are not the API and are not checked, nor is the console (/api/console/…): a web app the function app serves
/// from one wildcard route, which no OpenAPI path can name either; ConsoleServingTests check what it answers.</para>
/// </summary>
public sealed class ContractCheck(Func<Task<OpenApiContract>> contract, HttpMessageHandler? inner = null) : DelegatingHandler(inner ?? new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read twice (sent, then checked): buffered first.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (path.StartsWith("/api/", StringComparison.Ordinal) && !IsConsole(path))
        {
            var problems = await CheckAsync(await contract(), request, response, path, cancellationToken);
            if (problems.Count > 0)
            {
                throw new UndocumentedAnswerException(
                    $"{request.Method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode} {response.Content.Headers.ContentType}: "
                    + $"{string.Join("; ", problems)}\nBody: {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}");
            }
        }

        return response;
    }

    private static bool IsConsole(string path) =>
        path == "/api/console" || path.StartsWith("/api/console/", StringComparison.Ordinal);

    public static async Task<IReadOnlyList<string>> CheckAsync(
        OpenApiContract contract, HttpRequestMessage request, HttpResponseMessage response, string path, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(ct);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (contract.Find(request.Method.Method, path) is not { } operation)
        {
            var expected = contract.HasPath(path) ? 405 : 404;
            return status == expected && mediaType == "application/problem+json"
                ? contract.Validate(OpenApiSchemaRef("Problem"), body)
                : [$"no operation of the document is {request.Method} {path}: the catch-all answers {expected} problem+json, not this"];
        }

        var responses = operation.Definition["responses"]!.AsObject();
        var code = status.ToString(CultureInfo.InvariantCulture);
        if ((responses[code] ?? responses[$"{code[0]}XX"]) is not JsonObject listed)
        {
            return [$"{operation} does not list {status} (it lists {string.Join(", ", responses.Select(r => r.Key))})"];
        }

        List<string> problems = [];
        var content = listed["content"] as JsonObject;
        if (body.Length == 0)
        {
            if (content is not null)
            {
                problems.Add($"{operation} answers {status} with {string.Join(" or ", content.Select(c => c.Key))}, but the body is empty");
            }
        }
        else if (content is null)
        {
            problems.Add($"{operation} answers {status} without a body, but there is one");
        }
        else if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            problems.Add($"{operation} answers {status} as {string.Join(" or ", content.Select(c => c.Key))}, not {mediaType}");
        }
        else if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            problems.AddRange(contract.Validate(media["schema"]!, body).Select(e => $"the body breaks {operation}'s {status} schema at {e}"));
        }

        if (status is >= 200 and < 300)
        {
            problems.AddRange((await RefusedRequestAsync(contract, operation, request, ct)).Select(r => $"{r}, yet the API answered {status}"));
        }

        return problems;
    }

    /// <summary>What the document says is wrong with the request: required parameters missing, a body it refuses.</summary>
    private static async Task<IReadOnlyList<string>> RefusedRequestAsync(OpenApiContract contract, OpenApiContract.Operation operation, HttpRequestMessage request, CancellationToken ct)
    {
        List<string> refused = [];
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        foreach (var parameter in (operation.Definition["parameters"] as JsonArray ?? []).Select(p => p!.AsObject()))
        {
            var name = (string)parameter["name"]!;
            var given = (string)parameter["in"]! switch
            {
                "header" => request.Headers.Contains(name) || request.Content?.Headers.Contains(name) == true,
                "query" => query[name] is not null,
                _ => true,
            };
            if (!given && (bool?)parameter["required"] == true)
            {
                refused.Add($"the document requires the {parameter["in"]} parameter {name}");
            }
        }

        if (operation.Definition["requestBody"] is JsonObject requestBody)
        {
            var content = requestBody["content"]!.AsObject();
            var mediaType = request.Content?.Headers.ContentType?.MediaType;
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
            if (body.Length == 0)
            {
                refused.Add("the document requires a body");
            }
            else if (mediaType is null || content[mediaType] is not JsonObject media)
            {
                refused.Add($"the document takes {string.Join(" or ", content.Select(c => c.Key))}, not {mediaType}");
            }
            else if (mediaType.EndsWith("json", StringComparison.Ordinal))
            {
                refused.AddRange(contract.Validate(media["schema"]!, body).Select(e => $"the document refuses the request body at {e}"));
            }
        }

        return refused;
    }

    private static JsonObject OpenApiSchemaRef(string id) => new() { ["$ref"] = $"#/components/schemas/{id}" };

    private static string Shorten(string body) => body.Length <= 2000 ? body : body[..2000] + "…";
}

/// <summary>An answer of the app that its OpenAPI document does not describe.</summary>
public sealed class UndocumentedAnswerException(string message) : Exception(message);
