using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

// What happens at Stripe without Atlas asking: the rider's bank answers 3-D Secure, an authorisation lapses, a rider
// disputes a charge and the dispute closes. Tests call these directly; `./atlas run` serves them under /_fake.
public sealed partial class StripeState
{
    /// <summary>The rider's bank completes (or fails) 3-D Secure for an intent that asked for it.</summary>
    public Task<JsonObject> AuthenticateAsync(string intentId, bool succeed) => ChangeAsync(emit =>
    {
        var intent = Get(intentId, "payment_intent");
        if ((string)intent["status"]! != "requires_action")
        {
            throw StripeError.UnexpectedState($"This PaymentIntent's status is {intent["status"]}; there is nothing to authenticate.");
        }

        if (succeed)
        {
            Authorised(intent, emit);
        }
        else
        {
            Decline(intent, "authentication_required", null, emit);
        }

        return intent;
    });

    /// <summary>Lets an authorisation lapse now, as Stripe does at <c>capture_before</c>.</summary>
    public Task<JsonObject> ExpireAsync(string intentId) => ChangeAsync(emit =>
    {
        var intent = Get(intentId, "payment_intent");
        if ((string)intent["status"]! != "requires_capture")
        {
            throw StripeError.UnexpectedState($"Only an uncaptured authorisation can expire; this one is {intent["status"]}.");
        }

        Cancel(intent, "expired", emit);
        return intent;
    });

    /// <summary>The rider's bank disputes a charge: Stripe withdraws the amount from the platform's balance.</summary>
    public Task<JsonObject> DisputeAsync(string intentId) => ChangeAsync(emit =>
    {
        var intent = Get(intentId, "payment_intent");
        var charge = Get((string?)intent["latest_charge"] ?? throw StripeError.Invalid("This intent has no charge."), "charge");
        return OpenDispute(charge, emit);
    });

    public Task<JsonObject> CloseDisputeAsync(string disputeId, bool won) => ChangeAsync(emit =>
    {
        var dispute = Get(disputeId, "dispute");
        if ((string)dispute["status"]! is "won" or "lost")
        {
            throw StripeError.Invalid("This dispute is already closed.");
        }

        var previous = new JsonObject { ["status"] = dispute["status"]!.DeepClone() };
        dispute["status"] = won ? "won" : "lost";
        emit("charge.dispute.closed", dispute, previous);
        if (won)
        {
            emit("charge.dispute.funds_reinstated", dispute, null);
        }

        return dispute;
    });

    private JsonObject OpenDispute(JsonObject charge, Emit emit)
    {
        if ((bool?)charge["disputed"] == true)
        {
            throw StripeError.Invalid("This charge is already disputed.");
        }

        var dispute = New("dp", "dispute");
        dispute["amount"] = (long)charge["amount_captured"]! - (long)charge["amount_refunded"]!;
        dispute["charge"] = charge["id"]!.DeepClone();
        dispute["payment_intent"] = charge["payment_intent"]!.DeepClone();
        dispute["status"] = "needs_response";
        dispute["reason"] = "fraudulent";
        dispute["evidence_details"] = new JsonObject { ["due_by"] = (clock.GetUtcNow() + TimeSpan.FromDays(7)).ToUnixTimeSeconds() };
        charge["disputed"] = true;
        emit("charge.dispute.created", dispute, null);
        emit("charge.dispute.funds_withdrawn", dispute, null);
        return dispute;
    }
}
