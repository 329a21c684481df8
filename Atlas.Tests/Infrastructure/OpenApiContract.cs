using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Atlas.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document an app serves, read once per process and environment, as the contract its answers are held
/// to (<see cref="ContractCheck"/>): which operation a request is, and whether a JSON body validates against one of
/// the document's schemas (JsonSchema.Net, draft 2020-12 as OpenAPI 3.1 uses, formats checked).
/// </summary>
public sealed class OpenApiContract
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<OpenApiContract>>> Loaded = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly List<Operation> _operations;
    private readonly ConcurrentDictionary<string, JsonSchema> _built = new(StringComparer.Ordinal);
    private readonly Uri _components;

    private OpenApiContract(JsonObject document)
    {
        Document = document;
        _operations = [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op =>
            new Operation(op.Key.ToUpperInvariant(), path.Key, Template(path.Key), op.Value!.AsObject())))];

        // The components as one schema resource, their references rewritten to its $defs, for the answers' schemas to
        // refer to by its URI.
        _components = new Uri($"https://atlas.test/openapi/{Guid.NewGuid():N}/components");
        var defs = Rewrite(document["components"]!["schemas"]!.ToJsonString());
        JsonSchema.FromText($$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"{{_components}}","$defs":{{defs}}}""");
    }

    public JsonObject Document { get; }

    /// <summary>The contract of the app at <paramref name="baseAddress"/>: its document, fetched the first time an
    /// app of this environment asks (the document differs by environment only).</summary>
    public static async Task<OpenApiContract> ForAsync(Uri baseAddress, string environment)
    {
        var loading = Loaded.GetOrAdd(environment, _ => new Lazy<Task<OpenApiContract>>(() => LoadAsync(baseAddress)));
        try
        {
            return await loading.Value;
        }
        catch (Exception) when (Loaded.TryRemove(KeyValuePair.Create(environment, loading)))
        {
            // An app that could not serve it (it failed to start) must not fail every later test: the next one asks again.
            throw;
        }
    }

    private static async Task<OpenApiContract> LoadAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return new OpenApiContract(JsonNode.Parse(await client.GetStringAsync(new Uri("/api/openapi.json", UriKind.Relative)))!.AsObject());
    }

    /// <summary>The operation for a request (a literal segment wins over a route value), or null.</summary>
    public Operation? Find(string method, string path) =>
        _operations.Where(o => o.Method == method && o.Pattern.IsMatch(path)).OrderBy(o => o.Path.Count(c => c == '{')).FirstOrDefault();

    /// <summary>Whether any operation has this path, whatever its method.</summary>
    public bool HasPath(string path) => _operations.Any(o => o.Pattern.IsMatch(path));

    /// <summary>What is wrong with <paramref name="json"/> by <paramref name="schema"/> (a schema of the document, or a
    /// reference to one): nothing when it validates.</summary>
    public IReadOnlyList<string> Validate(JsonNode schema, string json)
    {
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            return [$"the body is not JSON: {e.Message}"];
        }

        var text = schema.ToJsonString();
        var built = _built.GetOrAdd(text, t => JsonSchema.FromText(Rewrite(t)));
        var results = built.Evaluate(instance, Evaluation);
        if (results.IsValid)
        {
            return [];
        }

        // Most keywords say what failed; some (oneOf) only fail: then the deepest nodes that failed are named.
        var nodes = Flatten(results).ToList();
        var errors = nodes.Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{Location(d)} ({d.EvaluationPath}): {e.Key}: {e.Value}"));
        var failed = nodes
            .Where(d => !d.IsValid && d.Errors is not { Count: > 0 } && (d.Details ?? []).All(c => c.IsValid))
            .Select(d => $"{Location(d)} ({d.EvaluationPath}): does not validate");
        return [.. errors.Concat(failed).Distinct()];
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults results) => [results, .. (results.Details ?? []).SelectMany(Flatten)];

    private static string Location(EvaluationResults result) => result.InstanceLocation.ToString() is { Length: > 0 } pointer ? pointer : "/";

    private string Rewrite(string json) => json.Replace("#/components/schemas/", $"{_components}#/$defs/", StringComparison.Ordinal);

    private static Regex Template(string path) =>
        new("^" + string.Join("/", path.Split('/').Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "$", RegexOptions.CultureInvariant);

    /// <param name="Path">The path as the document names it, e.g. /api/rides/{rideId}.</param>
    public sealed record Operation(string Method, string Path, Regex Pattern, JsonObject Definition)
    {
        public override string ToString() => $"{Method} {Path}";
    }
}
