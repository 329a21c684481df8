using System.Text;
using System.Text.Json;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Stripe;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Stripe's webhook endpoint: verify the signature over the raw body (400 before anything is parsed), record the
/// event by id (a delivery seen before is acknowledged and dropped), queue it, answer 200. The queue function
/// applies it; a failure there is retried by the queue and ends in the poison queue, never lost. Events arriving
/// together share a message (<see cref="StripeEventQueue"/>).
/// </summary>
public static class StripeWebhookFunctions
{
    public const string Queue = StripeEventQueue.Queue;

    /// <summary>An event recorded this long ago and still not processed was lost before it was queued: queue it again.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);

    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("StripeWebhook", "POST", "webhooks/stripe", Access.Anyone, ReceiveAsync)
        .Queue("StripeEvents", Queue, (sp, message, ct) => ProcessAsync(sp, message.Text, ct));

    public sealed record Acknowledged(string Id, bool Duplicate);

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, StripeEventLog log, StripeEventQueue queue, IOptions<StripeOptions> options, TimeProvider clock, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        var stripe = options.Value;
        var now = clock.GetUtcNow();
        if (!StripeSignature.IsValid(request.Headers["Stripe-Signature"].ToString(), body, stripe.WebhookSecrets, now, stripe.WebhookTolerance))
        {
            return Problems.Validation("Stripe-Signature", "The Stripe-Signature header does not sign this body with an endpoint secret within the tolerance.");
        }

        if (Read(body) is not var (id, type))
        {
            return Problems.Validation("body", "The body is not a Stripe event (an object with an evt_ id and a type).");
        }

        var receipt = await log.ReceiveAsync(id, type, now, StalledAfter, ct);
        if (receipt != StripeEventLog.Receipt.Duplicate)
        {
            await queue.EnqueueAsync(id, Encoding.UTF8.GetString(body));
        }

        return Results.Ok(new Acknowledged(id, receipt == StripeEventLog.Receipt.Duplicate));
    }

    /// <summary>Applies a message's events in the order they came; a failure retries the message, and applying an
    /// event again changes nothing.</summary>
    private static async Task ProcessAsync(IServiceProvider services, string message, CancellationToken ct)
    {
        var processor = services.GetRequiredService<StripeEventProcessor>();
        foreach (var (json, id) in StripeEventQueue.Read(message))
        {
            var body = json;
            if (body is null)
            {
                var fetched = await services.GetRequiredService<IStripeClient>().GetEventAsync(id!, ct);
                body = fetched.Value?.Json.GetRawText() ?? throw new InvalidOperationException($"Stripe event {id} could not be fetched: {fetched.Error}");
            }

            using var e = JsonDocument.Parse(body);
            await processor.ProcessAsync(e.RootElement, ct);
        }
    }

    private static (string Id, string Type)? Read(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && StripeIntent.Text(root, "id") is { Length: > 4 and <= 255 } id && id.StartsWith("evt_", StringComparison.Ordinal)
                && StripeIntent.Text(root, "type") is { Length: > 0 and <= 100 } type
                && root.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Number
                && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("object", out var obj) && obj.ValueKind == JsonValueKind.Object
                    ? (id, type)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
