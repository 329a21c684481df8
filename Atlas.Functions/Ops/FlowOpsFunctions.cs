using System.Text.Json;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Ops;

/// <summary>
/// GET /api/ops/flows/{instanceId}: a Durable orchestration as its task hub knows it (a settlement run is
/// <c>settle-{period}</c>): where it stands, what it said about itself, what it was given and what it returned.
/// Platform admins only. The history itself is not served: Azure's Functions host does not stream it to clients.
/// </summary>
public static class FlowOpsFunctions
{
    public sealed record FlowView(
        string InstanceId,
        string Name,
        string RuntimeStatus,
        DateTimeOffset CreatedAt,
        DateTimeOffset LastUpdatedAt,
        JsonElement? CustomStatus,
        JsonElement? Input,
        JsonElement? Output,
        string? Failure);

    [Function("GetFlow")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(FlowView))]
    [Responds(StatusCodes.Status400BadRequest)]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/flows/{instanceId}")] HttpRequest http,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        if (instanceId.Length > 256 || instanceId.Any(c => c is '/' or '\\' or '?' or '#' || char.IsControl(c)))
        {
            return Problems.Validation("instanceId", "An orchestration instance id is at most 256 characters, none of them '/', '\\\\', '?', '#' or control characters.");
        }

        return await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct) is { } instance
            ? Results.Ok(new FlowView(
                instance.InstanceId,
                instance.Name,
                instance.RuntimeStatus.ToString(),
                instance.CreatedAt,
                instance.LastUpdatedAt,
                Json(instance.SerializedCustomStatus),
                Json(instance.SerializedInput),
                Json(instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? null : instance.SerializedOutput),
                instance.FailureDetails?.ErrorMessage ?? (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? instance.SerializedOutput : null)))
            : Problems.NotFound($"Orchestration '{instanceId}'");
    }

    private static JsonElement? Json(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(serialized);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // A failure message kept as the output, or a large payload's blob address: shown as the text it is.
            return JsonSerializer.SerializeToElement(serialized);
        }
    }
}
