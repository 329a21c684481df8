using Atlas.Functions.Http;
using Stripe;

namespace Atlas.Functions.Stripe;

/// <summary>Stripe said no: the error object's fields, the HTTP status and the Request-Id to quote to Stripe support.</summary>
public sealed record StripeError(int Status, string Type, string? Code, string? DeclineCode, string? Message, string? Param, string? RequestId, PaymentIntent? Intent)
{
    public bool IsCardError => Type == "card_error";

    public override string ToString() => $"{Status} {Type}/{Code ?? "-"}{(DeclineCode is null ? "" : "/" + DeclineCode)} {Message} (request {RequestId})";
}

/// <summary>A call's outcome: the object, or Stripe's error. Transport failures throw.</summary>
public readonly record struct StripeResult<T>(T? Value, StripeError? Error)
    where T : class
{
    public bool Succeeded => Error is null;

    public static implicit operator StripeResult<T>(T value) => new(value, null);

    public static implicit operator StripeResult<T>(StripeError error) => new(null, error);
}

/// <summary>Stripe gave no usable answer (a timeout, a network error, 409, 429, 5xx) after whatever retries its client
/// has (none in a flow): the activity, the queue or the caller that owns the call tries again (docs/retries.md), and an
/// HTTP caller gets a 503.</summary>
public sealed class StripeUnavailableException(string message, Exception? inner = null) : UnavailableException(message, inner)
{
    public override string Title => "Payments are unavailable for a moment.";

    public override string Detail => "The payment provider did not answer; try again shortly.";
}
