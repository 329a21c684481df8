using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.Functions.Functions;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Hosting;

/// <summary>
/// POST /{FunctionName}: how the Functions host delivers non-HTTP triggers to a custom handler. The body is
/// {"Data": {binding: value}, "Metadata": {...}}; the answer is {"Outputs", "Logs", "ReturnValue"}, and a
/// non-2xx answer tells the host the invocation failed (so it retries, then poisons the message).
/// </summary>
public static class CustomHandlerInvocations
{
    public static void Map(IEndpointRouteBuilder app, FunctionCatalog catalog)
    {
        foreach (var function in catalog.All.Where(f => f is not HttpFunction))
        {
            app.MapPost("/" + function.Name, (InvocationRequest request, IServiceProvider services, ILogger<InvocationRequest> logger, CancellationToken ct) =>
                InvokeAsync(function, request, services, logger, ct)).ExcludeFromDescription();
        }
    }

    private static async Task<IResult> InvokeAsync(
        FunctionDefinition function, InvocationRequest request, IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        try
        {
            switch (function)
            {
                case QueueFunction queue:
                    await queue.Handler(services, ToMessage(request), ct);
                    break;
                case TimerFunction timer:
                    await timer.Handler(services, ct);
                    break;
            }

            return Results.Ok(new InvocationResponse([$"{function.Name} succeeded"]));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Invocation of {Function} failed", function.Name);
            return Results.Json(new InvocationResponse([$"{function.Name} failed: {e.GetType().Name}"]), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static QueueMessage ToMessage(InvocationRequest request)
    {
        // The trigger's value is under the binding's name; the host sends the decoded text as a JSON string.
        var value = request.Data?.Values.FirstOrDefault();
        var text = value?.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value?.GetRawText() ?? "";
        var metadata = request.Metadata;
        return new QueueMessage(
            Text(metadata, "Id") ?? "",
            Text(metadata, "PopReceipt") ?? "",
            metadata is not null && metadata.TryGetValue("DequeueCount", out var count) && count.TryGetInt32(out var n) ? n : 1,
            text);
    }

    private static string? Text(Dictionary<string, JsonElement>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

// The host's payload may grow fields; only Data and Metadata matter here.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement>? Metadata);

public sealed record InvocationResponse(
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs)
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; }
}
