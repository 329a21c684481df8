using System.Text.Json;
using Atlas.Core.Payments;

namespace Atlas.Functions.Stripe;

/// <summary>A PaymentIntent, as much of it as Atlas reads. <paramref name="CaptureBefore"/> comes from the latest charge
/// (asked for with <c>expand[]=latest_charge</c>).</summary>
public sealed record StripeIntent(
    string Id,
    string Status,
    long Amount,
    long AmountCapturable,
    long AmountReceived,
    string? ClientSecret,
    string? LatestChargeId,
    DateTimeOffset? CaptureBefore,
    string? CancellationReason,
    string? ErrorCode,
    IReadOnlyDictionary<string, string> Metadata)
{
    public static StripeIntent Read(JsonElement json)
    {
        var charge = json.TryGetProperty("latest_charge", out var c) ? c : default;
        DateTimeOffset? captureBefore = charge.ValueKind == JsonValueKind.Object
            && charge.TryGetProperty("payment_method_details", out var details) && details.ValueKind == JsonValueKind.Object
            && details.TryGetProperty("card", out var card) && card.TryGetProperty("capture_before", out var before) && before.ValueKind == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeSeconds(before.GetInt64())
                : null;
        var error = json.TryGetProperty("last_payment_error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        return new StripeIntent(
            json.GetProperty("id").GetString()!,
            json.GetProperty("status").GetString()!,
            json.GetProperty("amount").GetInt64(),
            Long(json, "amount_capturable"),
            Long(json, "amount_received"),
            Text(json, "client_secret"),
            charge.ValueKind == JsonValueKind.Object ? Text(charge, "id") : charge.ValueKind == JsonValueKind.String ? charge.GetString() : null,
            captureBefore,
            Text(json, "cancellation_reason"),
            error.ValueKind == JsonValueKind.Object ? Text(error, "decline_code") ?? Text(error, "code") : null,
            ReadMetadata(json));
    }

    public int? Attempt => Metadata.TryGetValue("attempt", out var a) && int.TryParse(a, out var attempt) ? attempt : null;

    public IntentSnapshot ToSnapshot() =>
        new(Id, Attempt, Status, Amount, AmountCapturable, AmountReceived, CaptureBefore, CancellationReason, ErrorCode);

    internal static long Long(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    internal static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static Dictionary<string, string> ReadMetadata(JsonElement json) =>
        json.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
            ? m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
}

public sealed record StripeTransfer(string Id, long Amount, long AmountReversed, string Currency, string Destination)
{
    public static StripeTransfer Read(JsonElement json) => new(
        json.GetProperty("id").GetString()!,
        json.GetProperty("amount").GetInt64(),
        StripeIntent.Long(json, "amount_reversed"),
        json.GetProperty("currency").GetString()!,
        json.GetProperty("destination").GetString()!);
}

/// <summary>The id of what was made (a customer, a refund, a reversal), and the raw object for anything else.</summary>
public sealed record StripeObject(string Id, JsonElement Json)
{
    public static StripeObject Read(JsonElement json) => new(json.GetProperty("id").GetString()!, json.Clone());
}

/// <summary>Stripe said no: the error object's fields, the HTTP status and the Request-Id to quote to Stripe support.</summary>
public sealed record StripeError(int Status, string Type, string? Code, string? DeclineCode, string? Message, string? Param, string? RequestId, StripeIntent? Intent)
{
    public bool IsCardError => Type == "card_error";

    public override string ToString() => $"{Status} {Type}/{Code ?? "-"}{(DeclineCode is null ? "" : "/" + DeclineCode)} {Message} (request {RequestId})";
}

/// <summary>A call's outcome: the object, or Stripe's error. Transport failures that outlast the retries throw.</summary>
public readonly record struct StripeResult<T>(T? Value, StripeError? Error)
    where T : class
{
    public bool Succeeded => Error is null;

    public static implicit operator StripeResult<T>(T value) => new(value, null);

    public static implicit operator StripeResult<T>(StripeError error) => new(null, error);
}

/// <summary>Stripe could not be reached (timeouts, 5xx, 429) after every retry: the caller's effect is retried later.</summary>
public sealed class StripeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
