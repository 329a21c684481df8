using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Atlas.FakeStripe;

/// <summary>
/// Stripe's objects and state rules, in memory: customers and attached cards, PaymentIntents (manual and automatic
/// capture, 3-D Secure, declines, capture limits, cancellation, expiry), refunds, transfers and their reversals,
/// disputes, and the events each change emits. One lock: this is a test double, not a database.
/// </summary>
public sealed partial class StripeState(TimeProvider clock)
{
    /// <summary>How long a manual-capture card authorisation lasts (customer-initiated online payments).</summary>
    public static readonly TimeSpan AuthorisationLifetime = TimeSpan.FromDays(7);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _cardTokens = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _events = [];

    public TimeProvider Clock => clock;

    /// <summary>The API version events are rendered in: the account's default (or the webhook endpoint's) version.</summary>
    public string EventApiVersion { get; set; } = FakeStripeServer.ApiVersion;

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

    /// <summary>As Stripe does: the customer becomes a stub that says it was deleted (retrieving it still answers), its
    /// cards are detached, its payments stay; a customer deleted already is no longer found.</summary>
    public Task<JsonObject> DeleteCustomerAsync(string id) => ChangeAsync(emit =>
    {
        var customer = Get(id, "customer");
        foreach (var method in _objects.Values.Where(o => (string?)o["object"] == "payment_method" && (string?)o["customer"] == id))
        {
            method["customer"] = null;
        }

        var deleted = new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true };
        _objects[id] = deleted;
        emit("customer.deleted", customer, null);
        return deleted;
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
        _cardTokens[(string)method["id"]!] = token;
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
        intent["client_secret"] = $"{intent["id"]}_secret_{RandomPart(25)}";
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

    private void Confirm(JsonObject intent, Emit emit)
    {
        var card = CardOf(intent);
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
        if (CardOf(intent).Disputes)
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
        e["api_version"] = EventApiVersion;
        e["livemode"] = false;
        e["data"] = data;
        return e;
    }

    /// <summary>A new object with an id shaped like Stripe's (prefix, underscore, 24 random letters and digits), so ids
    /// never repeat, not even across restarts of a fake that keeps its state.</summary>
    private JsonObject New(string prefix, string type)
    {
        var id = $"{prefix}_{RandomPart(24)}";
        var obj = new JsonObject { ["id"] = id, ["object"] = type, ["created"] = clock.GetUtcNow().ToUnixTimeSeconds(), ["livemode"] = false };
        _objects[id] = obj;
        return obj;
    }

    private TestCards.Card CardOf(JsonObject intent) => TestCards.For(_cardTokens[(string)intent["payment_method"]!])!;

    private static string RandomPart(int length) =>
        RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", length);

    private JsonObject Get(string id, string type, string param = "id") =>
        _objects.TryGetValue(id, out var found) && (string?)found["object"] == type && found["deleted"] is null
            ? found
            : throw StripeError.Missing(type, id, param);
}
