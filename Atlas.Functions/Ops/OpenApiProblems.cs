using System.Globalization;
using System.Text.Json.Nodes;
using Atlas.Functions.Http;

namespace Atlas.Functions.Ops;

/// <summary>
/// An operation's answers in the OpenAPI document: those its function declares (<see cref="RespondsAttribute"/>), and
/// the problem+json answers that follow from what it is: 400 when it takes input, 401 and 403 when it needs a token,
/// 404 when its route names a resource, 413 when it takes a body (<see cref="RequestSizeLimit"/>), 422 when it takes an
/// Idempotency-Key, 429 under a rate limit, and 5XX for failures of the server or of what it depends on.
/// </summary>
public static class OpenApiProblems
{
    public const string ProblemId = "Problem";
    public const string ValidationProblemId = "ValidationProblem";
    public const string ServerErrors = "5XX";

    /// <summary>What decides the problem answers an operation may give.</summary>
    public sealed record Answers(bool TakesInput, bool TakesBody, bool NamesResources, bool SignedIn, bool IdempotencyKey, bool RateLimited);

    public static JsonObject Responses(IEnumerable<RespondsAttribute> declared, Answers answers, OpenApiSchemas schemas)
    {
        var responses = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var responds in declared)
        {
            responses[Code(responds.Status)] = responds.Status >= 400
                ? Problem(responds.Status, responds.Description, schemas)
                : Success(responds, schemas);
        }

        List<int> implied =
        [
            .. answers.TakesInput ? [StatusCodes.Status400BadRequest] : Array.Empty<int>(),
            .. answers.SignedIn ? [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden] : Array.Empty<int>(),
            .. answers.NamesResources ? [StatusCodes.Status404NotFound] : Array.Empty<int>(),
            .. answers.TakesBody ? [StatusCodes.Status413PayloadTooLarge] : Array.Empty<int>(),
            .. answers.IdempotencyKey ? [StatusCodes.Status422UnprocessableEntity] : Array.Empty<int>(),
            .. answers.RateLimited ? [StatusCodes.Status429TooManyRequests] : Array.Empty<int>(),
        ];
        foreach (var status in implied)
        {
            responses.TryAdd(Code(status), Problem(status, null, schemas));
        }

        responses[ServerErrors] = Problem(
            "The server, or a service it depends on, failed; 503 with Retry-After when it is for a moment.", schemas.Named(ProblemId, ProblemSchema));
        return new JsonObject(responses.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value)));
    }

    private static JsonObject Success(RespondsAttribute responds, OpenApiSchemas schemas)
    {
        var response = new JsonObject { ["description"] = responds.Description ?? Describe(responds.Status) };
        if (responds.Body is { } type)
        {
            response["content"] = new JsonObject { [responds.ContentType ?? "application/json"] = new JsonObject { ["schema"] = schemas.Reference(type, response: true) } };
        }
        else if (responds.ContentType is { } mediaType)
        {
            var schema = mediaType.EndsWith("json", StringComparison.Ordinal) ? new JsonObject { ["type"] = "object" } : new JsonObject { ["type"] = "string" };
            response["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = schema } };
        }

        return response;
    }

    private static JsonObject Problem(int status, string? description, OpenApiSchemas schemas) => Problem(
        description ?? Describe(status),
        status == StatusCodes.Status400BadRequest ? schemas.Named(ValidationProblemId, ValidationProblemSchema) : schemas.Named(ProblemId, ProblemSchema));

    private static JsonObject Problem(string description, JsonObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details; extension members as the problem needs.",
        ["required"] = new JsonArray("title", "status"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["description"] = "A URI naming the kind of problem." },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer", ["minimum"] = 400, ["maximum"] = 599 },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["code"] = new JsonObject { ["type"] = "string", ["description"] = "Why, for a program: e.g. the rejection's code on a 409." },
            ["errors"] = Errors(),
            ["retryAfter"] = new JsonObject { ["type"] = "integer", ["description"] = "On a 429: seconds to wait, as the Retry-After header says." },
            ["attemptsLeft"] = new JsonObject { ["type"] = "integer", ["description"] = "On a wrong code: the tries left." },
        },
    };

    private static JsonObject ValidationProblemSchema() => new()
    {
        ["description"] = "A problem that names each wrong field with its rule.",
        ["allOf"] = new JsonArray(OpenApiSchemas.Ref(ProblemId)),
        ["required"] = new JsonArray("errors"),
        ["properties"] = new JsonObject { ["errors"] = Errors() },
    };

    private static JsonObject Errors() => new()
    {
        ["type"] = "object",
        ["description"] = "Each wrong field (or header, or query parameter) and the rules it breaks.",
        ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
    };

    private static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);

    private static string Describe(int status) => status switch
    {
        200 => "OK.",
        201 => "Created.",
        202 => "Accepted: the change is under way.",
        204 => "Done; nothing to return.",
        400 => "The request is not valid: each wrong field named with its rule.",
        401 => "No valid access token.",
        403 => "The caller's role does not allow this.",
        404 => "Not found (other companies' resources are not found either).",
        409 => "The resource's state refuses this now (code says why), or it changed at the same moment: retry.",
        413 => $"The body is larger than this API takes ({RequestSizeLimit.MaxBytes / 1024} KiB).",
        422 => "The Idempotency-Key was used before for a request with another body.",
        429 => "Too many requests: wait Retry-After seconds.",
        503 => "Unavailable for now: try again after Retry-After seconds.",
        _ => $"HTTP {status}.",
    };
}
