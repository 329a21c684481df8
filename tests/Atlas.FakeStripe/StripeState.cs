using System.Globalization;
using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

/// <summary>
/// Stripe's objects and state rules, in memory: customers and attached cards, PaymentIntents (manual and automatic
/// capture, 3-D Secure, declines, capture limits, cancellation, expiry), refunds, transfers and their reversals,
/// disputes, and the events each change emits. One lock: this is a test double, not a database.
/// </summary>
public sealed class StripeState(TimeProvider clock)
{
    /// <summary>How long a manual-capture card authorisation lasts (customer-initiated online payments).</summary>
    public static readonly TimeSpan AuthorisationLifetime = TimeSpan.FromDays(7);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestCards.Card> _cards = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _events = [];
    private int _next;

    public TimeProvider Clock => clock;

    /// <summary>Called with each event as it is created (outside the lock).</summary>
    public Func<JsonObject, Task>? OnEvent { get; set; }

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Select(e => (JsonObject)e.DeepClone())];
            }
        }
    }

    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            ExpireLapsed();
            return _objects.TryGetValue(id, out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    public Task<JsonObject> CreateCustomerAsync(Form form) => ChangeAsync(emit =>
    {
        var customer = New("cus", "customer");
        customer["metadata"] = form.Metadata();
        return customer;
    });

    public Task<JsonObject> AttachAsync(string token, Form form) => ChangeAsync(emit =>
    {
        var card = TestCards.For(token) ?? throw StripeError.Missing("PaymentMethod", token);
        var customerId = form.Required("customer");
        Get(customerId, "customer", "customer");
        var method = New("pm", "payment_method");
        method["customer"] = customerId;
        method["type"] = "card";
        method["card"] = new JsonObject { ["brand"] = card.Brand, ["last4"] = card.Number[^4..] };
        _cards[(string)method["id"]!] = card;
        return method;
    });

    public Task<JsonObject> CreateIntentAsync(Form form) => ChangeAsync(emit =>
    {
        var amount = form.Amount("amount");
        var currency = form.Required("currency");
        var customerId = form.Required("customer");
        var methodId = form.Required("payment_method");
        Get(customerId, "customer", "customer");
        var method = Get(methodId, "payment_method", "payment_method");
        if ((string?)method["customer"] != customerId)
        {
            throw StripeError.Invalid($"The PaymentMethod {methodId} does not belong to the Customer {customerId}.", "payment_method");
        }

        var manual = form.Optional("capture_method") switch
        {
            null or "automatic" or "automatic_async" => false,
            "manual" => true,
            var other => throw StripeError.Invalid($"Invalid capture_method: {other}", "capture_method"),
        };
        var intent = New("pi", "payment_intent");
        intent["amount"] = amount;
        intent["currency"] = currency;
        intent["customer"] = customerId;
        intent["payment_method"] = methodId;
        intent["capture_method"] = manual ? "manual" : "automatic";
        intent["status"] = "requires_confirmation";
        intent["amount_capturable"] = 0L;
        intent["amount_received"] = 0L;
        intent["client_secret"] = $"{intent["id"]}_secret_{_next:D6}";
        intent["transfer_group"] = form.Optional("transfer_group");
        intent["metadata"] = form.Metadata();
        intent["latest_charge"] = null;
        intent["cancellation_reason"] = null;
        intent["last_payment_error"] = null;
        if (form.Optional("confirm") == "true")
        {
            Confirm(intent, emit);
        }

        return intent;
    });

    public Task<JsonObject> ConfirmIntentAsync(string id) => ChangeAsync(emit =>
    {
        var intent = Get(id, "payment_intent");
        if ((string)intent["status"]! is not ("requires_confirmation" or "requires_payment_method"))
        {
            throw StripeError.UnexpectedState($"This PaymentIntent's status is {intent["status"]}; it cannot be confirmed.");
        }

        Confirm(intent, emit);
        return intent;
    });

    public Task<JsonObject> CaptureAsync(string id, Form form) => ChangeAsync(emit =>
    {
        var intent = Get(id, "payment_intent");
        if ((string)intent["status"]! != "requires_capture")
        {
            throw StripeError.UnexpectedState(
                $"This PaymentIntent could not be captured because it has a status of {intent["status"]}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.");
        }

        var capturable = (long)intent["amount_capturable"]!;
        var amount = form.Optional("amount_to_capture") is null ? capturable : form.Amount("amount_to_capture");
        if (amount > capturable)
        {
            throw StripeError.Invalid(
                $"The amount to capture ({amount}) is greater than the amount capturable ({capturable}).", "amount_to_capture", "amount_too_large");
        }

        Succeed(intent, amount, emit);
        return intent;
    });

    public Task<JsonObject> CancelAsync(string id, Form form) => ChangeAsync(emit =>
    {
        var intent = Get(id, "payment_intent");
        if ((string)intent["status"]! is "succeeded" or "canceled")
        {
            throw StripeError.UnexpectedState(
                $"You cannot cancel this PaymentIntent because it has a status of {intent["status"]}.");
        }

        Cancel(intent, form.Optional("cancellation_reason") ?? "requested_by_customer", emit);
        return intent;
    });

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
        if (!destination.StartsWith("acct_", StringComparison.Ordinal) || destination.EndsWith("_closed", StringComparison.Ordinal))
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

    private void Confirm(JsonObject intent, Emit emit)
    {
        var card = _cards[(string)intent["payment_method"]!];
        if (card.DeclineCode is { } declineCode)
        {
            Decline(intent, "card_declined", declineCode, emit);
            throw new StripeError(402, "card_error", "Your card was declined.", "card_declined", declineCode: declineCode)
            {
                PaymentIntent = intent,
            };
        }

        if (card.ThreeDSecure)
        {
            intent["status"] = "requires_action";
            intent["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk" };
            emit("payment_intent.requires_action", intent, null);
            return;
        }

        Authorised(intent, emit);
    }

    private void Authorised(JsonObject intent, Emit emit)
    {
        var amount = (long)intent["amount"]!;
        var charge = New("ch", "charge");
        charge["amount"] = amount;
        charge["amount_captured"] = 0L;
        charge["amount_refunded"] = 0L;
        charge["refunded"] = false;
        charge["disputed"] = false;
        charge["payment_intent"] = intent["id"]!.DeepClone();
        charge["payment_method_details"] = new JsonObject
        {
            ["type"] = "card",
            ["card"] = new JsonObject { ["capture_before"] = (clock.GetUtcNow() + AuthorisationLifetime).ToUnixTimeSeconds() },
        };
        intent["latest_charge"] = charge["id"]!.DeepClone();
        intent["next_action"] = null;
        if ((string)intent["capture_method"]! == "manual")
        {
            intent["status"] = "requires_capture";
            intent["amount_capturable"] = amount;
            emit("payment_intent.amount_capturable_updated", intent, null);
        }
        else
        {
            Succeed(intent, amount, emit);
        }
    }

    private void Succeed(JsonObject intent, long amount, Emit emit)
    {
        var charge = Get((string)intent["latest_charge"]!, "charge");
        charge["amount_captured"] = amount;
        charge["captured"] = true;
        intent["status"] = "succeeded";
        intent["amount_capturable"] = 0L;
        intent["amount_received"] = amount;
        emit("payment_intent.succeeded", intent, null);
        if (_cards[(string)intent["payment_method"]!].Disputes)
        {
            OpenDispute(charge, emit);
        }
    }

    private static void Decline(JsonObject intent, string code, string? declineCode, Emit emit)
    {
        intent["status"] = "requires_payment_method";
        intent["next_action"] = null;
        intent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = code, ["decline_code"] = declineCode };
        emit("payment_intent.payment_failed", intent, null);
    }

    private void Cancel(JsonObject intent, string reason, Emit emit)
    {
        intent["status"] = "canceled";
        intent["cancellation_reason"] = reason;
        intent["amount_capturable"] = 0L;
        intent["next_action"] = null;
        emit("payment_intent.canceled", intent, null);
    }

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

    /// <summary>Authorisations past their <c>capture_before</c> are cancelled as expired when next looked at.</summary>
    private void ExpireLapsed()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var intent in _objects.Values.Where(o => (string?)o["object"] == "payment_intent" && (string?)o["status"] == "requires_capture").ToList())
        {
            var charge = _objects[(string)intent["latest_charge"]!];
            if ((long)charge["payment_method_details"]!["card"]!["capture_before"]! <= now)
            {
                Cancel(intent, "expired", (type, obj, previous) => _events.Add(Event(type, obj, previous)));
            }
        }
    }

    private delegate void Emit(string type, JsonObject obj, JsonObject? previous);

    /// <summary>Runs a change under the lock (after letting lapsed authorisations expire), then hands the events it
    /// emitted to <see cref="OnEvent"/>. The object returned is a copy: later changes do not show through.</summary>
    private async Task<JsonObject> ChangeAsync(Func<Emit, JsonObject> change)
    {
        List<JsonObject> emitted = [];
        JsonObject result;
        try
        {
            lock (_gate)
            {
                var before = _events.Count;
                ExpireLapsed();
                try
                {
                    result = (JsonObject)change((type, obj, previous) => _events.Add(Event(type, obj, previous))).DeepClone();
                }
                finally
                {
                    emitted = [.. _events.Skip(before).Select(e => (JsonObject)e.DeepClone())];
                }
            }
        }
        finally
        {
            if (OnEvent is { } onEvent)
            {
                foreach (var e in emitted)
                {
                    await onEvent(e);
                }
            }
        }

        return result;
    }

    private JsonObject Event(string type, JsonObject obj, JsonObject? previous)
    {
        var data = new JsonObject { ["object"] = obj.DeepClone() };
        if (previous is not null)
        {
            data["previous_attributes"] = previous;
        }

        var e = New("evt", "event");
        e["type"] = type;
        e["api_version"] = FakeStripeServer.ApiVersion;
        e["livemode"] = false;
        e["data"] = data;
        return e;
    }

    private JsonObject New(string prefix, string type)
    {
        var id = $"{prefix}_fake{++_next:D8}";
        var obj = new JsonObject { ["id"] = id, ["object"] = type, ["created"] = clock.GetUtcNow().ToUnixTimeSeconds(), ["livemode"] = false };
        _objects[id] = obj;
        return obj;
    }

    private JsonObject Get(string id, string type, string param = "id") =>
        _objects.TryGetValue(id, out var found) && (string?)found["object"] == type
            ? found
            : throw StripeError.Missing(type, id, param);
}

/// <summary>A form-encoded request body, with Stripe's bracket keys (<c>metadata[ride_id]</c>, <c>expand[]</c>).</summary>
public sealed class Form(IReadOnlyDictionary<string, string[]> values)
{
    public string? Optional(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? v[^1] : null;

    public string[] All(string key) => values.GetValueOrDefault(key) ?? [];

    public string Required(string key) => Optional(key) is { Length: > 0 } value
        ? value
        : throw StripeError.Invalid($"Missing required param: {key}.", key, "parameter_missing");

    public long Amount(string key) => long.TryParse(Required(key), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0
        ? amount
        : throw StripeError.Invalid($"Invalid positive integer: {key}", key, "parameter_invalid_integer");

    public JsonObject Metadata()
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in values.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal) && p.Key.EndsWith(']')))
        {
            var name = key["metadata[".Length..^1];
            if (name.Length > 40 || value[^1].Length > 500)
            {
                throw StripeError.Invalid("Metadata keys are at most 40 characters and values at most 500.", key);
            }

            metadata[name] = value[^1];
        }

        return metadata.Count > 50 ? throw StripeError.Invalid("Metadata holds at most 50 keys.", "metadata") : metadata;
    }

    public string Fingerprint => string.Join('&', values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + string.Join(',', p.Value)));
}
