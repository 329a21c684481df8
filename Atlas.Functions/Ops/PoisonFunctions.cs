using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Ops;

/// <summary>GET /api/ops/poison, and POST …/{queue}/{messageId}/replay or …/discard: the messages the app gave up on,
/// put back to be tried again or thrown away. Platform admins only; each replay and discard is audited.</summary>
public static class PoisonFunctions
{
    public sealed record PoisonView(IReadOnlyList<PoisonQueueView> Queues);

    public sealed record Taken(string Queue, string MessageId, string Outcome);

    [Function("ListPoisonQueues")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(PoisonView))]
    public static async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/poison")] HttpRequest http, PoisonQueues poison, CancellationToken ct) =>
        Results.Ok(new PoisonView(await poison.ListAsync(ct)));

    [Function("ReplayPoisonedMessage")]
    [Roles(Role.PlatformAdmin)]
    [Audited("poison.replay")]
    [Responds(StatusCodes.Status200OK, typeof(Taken))]
    [Responds(StatusCodes.Status400BadRequest)]
    public static Task<IResult> ReplayAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/poison/{queue}/{messageId}/replay")] HttpRequest http,
        string queue, string messageId, PoisonQueues poison, CancellationToken ct) =>
        TakeAsync(queue, messageId, poison, "replayed", () => poison.ReplayAsync(queue, messageId, ct));

    [Function("DiscardPoisonedMessage")]
    [Roles(Role.PlatformAdmin)]
    [Audited("poison.discard")]
    [Responds(StatusCodes.Status200OK, typeof(Taken))]
    [Responds(StatusCodes.Status400BadRequest)]
    public static Task<IResult> DiscardAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/poison/{queue}/{messageId}/discard")] HttpRequest http,
        string queue, string messageId, PoisonQueues poison, CancellationToken ct) =>
        TakeAsync(queue, messageId, poison, "discarded", () => poison.DiscardAsync(queue, messageId, ct));

    private static async Task<IResult> TakeAsync(string queue, string messageId, PoisonQueues poison, string outcome, Func<Task<bool>> take)
    {
        if (!poison.Queues.Contains(queue, StringComparer.Ordinal))
        {
            return Problems.Validation("queue", $"queue is one of {string.Join(", ", poison.Queues)}.");
        }

        if (!Guid.TryParse(messageId, out _))
        {
            return Problems.Validation("messageId", "messageId is the id of a message in the queue's poison queue (a GUID).");
        }

        // Taken already (replayed or discarded): a repeated request does nothing, and says so.
        return await take()
            ? Results.Ok(new Taken(queue, messageId, outcome))
            : Problems.NotFound($"Message '{messageId}' in the poison queue of '{queue}'");
    }
}
