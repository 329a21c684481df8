using System.Text;
using System.Text.Json;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Queues;
using Atlas.Functions.Stripe;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Stripe's webhook endpoint: verify the signature over the raw body (400 before anything is parsed), record the
/// event by id (a delivery seen before is acknowledged and dropped), queue it, answer 200. The queue function
/// applies it; a failure there is retried by the queue and ends in the poison queue, never lost. The message is the
/// event itself when it fits a queue message, else its id, and the event is fetched back from Stripe.
/// </summary>
public static class StripeWebhookFunctions
{
    public const string Queue = "stripe-events";

    /// <summary>An event recorded this long ago and still not processed was lost before it was queued: queue it again.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);

    /// <summary>Queue messages are 64 KiB once base64-encoded.</summary>
    private const int MaxInlineEvent = 45_000;

    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("StripeWebhook", "POST", "webhooks/stripe", Access.Anyone, ReceiveAsync)
        .Queue("StripeEvents", Queue, (sp, message, ct) => ProcessAsync(sp, message.Text, ct));

    public sealed record Acknowledged(string Id, bool Duplicate);

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, StripeEventLog log, IQueueClient queues, IOptions<StripeOptions> options, TimeProvider clock, CancellationToken ct)
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
            await queues.SendAsync(Queue, body.Length <= MaxInlineEvent ? Encoding.UTF8.GetString(body) : id, TimeSpan.Zero, ct);
        }

        return Results.Ok(new Acknowledged(id, receipt == StripeEventLog.Receipt.Duplicate));
    }

    private static async Task ProcessAsync(IServiceProvider services, string message, CancellationToken ct)
    {
        var body = message;
        if (!message.StartsWith('{'))
        {
            var fetched = await services.GetRequiredService<IStripeClient>().GetEventAsync(message, ct);
            body = fetched.Value?.Json.GetRawText() ?? throw new InvalidOperationException($"Stripe event {message} could not be fetched: {fetched.Error}");
        }

        using var json = JsonDocument.Parse(body);
        await services.GetRequiredService<StripeEventProcessor>().ProcessAsync(json.RootElement, ct);
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
