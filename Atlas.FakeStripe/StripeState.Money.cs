using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

// Money after the charge: refunds, transfers to connected accounts and their reversals.
public sealed partial class StripeState
{
    public Task<JsonObject> RefundAsync(Form form) => ChangeAsync(emit =>
    {
        var intent = Get(form.Required("payment_intent"), "payment_intent", "payment_intent");
        if ((string)intent["status"]! != "succeeded")
        {
            throw StripeError.Invalid("This PaymentIntent has no successful charge to refund.", "payment_intent");
        }

        var charge = Get((string)intent["latest_charge"]!, "charge");
        var left = (long)charge["amount_captured"]! - (long)charge["amount_refunded"]!;
        var amount = form.Optional("amount") is null ? left : form.Amount("amount");
        if (amount > left)
        {
            throw StripeError.Invalid(
                $"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})", "amount", left == 0 ? "charge_already_refunded" : "amount_too_large");
        }

        var refund = New("re", "refund");
        refund["amount"] = amount;
        refund["charge"] = charge["id"]!.DeepClone();
        refund["payment_intent"] = intent["id"]!.DeepClone();
        refund["status"] = "succeeded";
        refund["reason"] = form.Optional("reason");
        charge["amount_refunded"] = (long)charge["amount_refunded"]! + amount;
        charge["refunded"] = (long)charge["amount_refunded"]! == (long)charge["amount_captured"]!;
        emit("charge.refunded", charge, null);
        return refund;
    });

    public Task<JsonObject> TransferAsync(Form form) => ChangeAsync(emit =>
    {
        var amount = form.Amount("amount");
        var destination = form.Required("destination");
        if (!destination.StartsWith("acct_", StringComparison.Ordinal) || destination.Contains("closed", StringComparison.Ordinal))
        {
            throw StripeError.Invalid($"No such destination: '{destination}'", "destination", "account_invalid");
        }

        var transfer = New("tr", "transfer");
        transfer["amount"] = amount;
        transfer["currency"] = form.Required("currency");
        transfer["destination"] = destination;
        transfer["transfer_group"] = form.Optional("transfer_group");
        transfer["source_transaction"] = form.Optional("source_transaction");
        transfer["amount_reversed"] = 0L;
        transfer["reversed"] = false;
        transfer["metadata"] = form.Metadata();
        emit("transfer.created", transfer, null);
        return transfer;
    });

    public Task<JsonObject> ReverseAsync(string transferId, Form form) => ChangeAsync(emit =>
    {
        var transfer = Get(transferId, "transfer");
        var left = (long)transfer["amount"]! - (long)transfer["amount_reversed"]!;
        var amount = form.Optional("amount") is null ? left : form.Amount("amount");
        if (amount > left)
        {
            throw StripeError.Invalid($"Reversal amount ({amount}) is greater than the transfer's unreversed amount ({left})", "amount", "amount_too_large");
        }

        var reversal = New("trr", "transfer_reversal");
        reversal["amount"] = amount;
        reversal["transfer"] = transferId;
        transfer["amount_reversed"] = (long)transfer["amount_reversed"]! + amount;
        transfer["reversed"] = (long)transfer["amount_reversed"]! == (long)transfer["amount"]!;
        emit("transfer.reversed", transfer, null);
        return reversal;
    });
}
