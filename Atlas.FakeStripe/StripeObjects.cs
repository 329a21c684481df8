using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

/// <summary>An error the way Stripe sends it: an HTTP status and the JSON <c>error</c> object.</summary>
public sealed class StripeError(int status, string type, string message, string? code = null, string? param = null, string? declineCode = null)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>An object the error carries (a declined confirmation carries the intent).</summary>
    public JsonObject? PaymentIntent { get; init; }

    public static StripeError Invalid(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, code, param);

    public static StripeError Missing(string what, string id, string param = "id") =>
        new(404, "invalid_request_error", $"No such {what}: '{id}'", "resource_missing", param);

    public static StripeError UnexpectedState(string message) =>
        new(400, "invalid_request_error", message, "payment_intent_unexpected_state");

    public JsonObject ToJson()
    {
        var error = new JsonObject { ["type"] = type, ["message"] = Message };
        if (code is not null)
        {
            error["code"] = code;
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        if (PaymentIntent is not null)
        {
            error["payment_intent"] = PaymentIntent.DeepClone();
        }

        return new JsonObject { ["error"] = error };
    }
}

/// <summary>The test cards of Stripe's docs, by the test payment method tokens that stand for them.</summary>
public static class TestCards
{
    public sealed record Card(string Number, string Brand, string? DeclineCode, bool ThreeDSecure, bool Disputes);

    private static readonly Dictionary<string, Card> Tokens = new(StringComparer.Ordinal)
    {
        ["pm_card_visa"] = new("4242424242424242", "visa", null, false, false),
        ["pm_card_chargeDeclined"] = new("4000000000000002", "visa", "generic_decline", false, false),
        ["pm_card_chargeDeclinedInsufficientFunds"] = new("4000000000009995", "visa", "insufficient_funds", false, false),
        ["pm_card_authenticationRequired"] = new("4000002760003184", "visa", null, true, false),
        ["pm_card_createDispute"] = new("4000000000000259", "visa", null, false, true),
    };

    public static Card? For(string token) => Tokens.GetValueOrDefault(token);
}
