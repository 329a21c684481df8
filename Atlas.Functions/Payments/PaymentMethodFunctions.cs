using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Privacy;
using Atlas.Functions.Stripe;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Payments;

/// <summary>The card a rider (or a dispatcher) pays with: the app collects it with Stripe's SDK and sends the payment
/// method id; Atlas attaches it to the user's Stripe customer.</summary>
public static partial class PaymentMethodFunctions
{
    public sealed record PaymentMethodRequest([property: Required] string? PaymentMethodId);

    public sealed record PaymentMethodView(string PaymentMethodId, string? Brand, string? Last4);

    [Function("GetMyPaymentMethod")]
    [Roles(Role.Rider, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(PaymentMethodView))]
    [Responds(StatusCodes.Status404NotFound)]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/payment-method")] HttpRequest http,
        Caller caller, PaymentProfiles profiles, CancellationToken ct) =>
        await profiles.FindAsync(caller.UserId, ct) is { PaymentMethodId: { } pm } profile
            ? Results.Ok(new PaymentMethodView(pm, profile.Brand, profile.Last4))
            : Problems.NotFound("A payment method");

    [Function("SetMyPaymentMethod")]
    [Roles(Role.Rider, Role.Dispatcher)]
    [RequestHeader(IdempotencyKeys.Header, "Optional: a retry of the same attempt with the same key is the same request to Stripe.")]
    [Responds(StatusCodes.Status200OK, typeof(PaymentMethodView))]
    public static async Task<IResult> SetAsync(
        [Body] PaymentMethodRequest request, [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/payment-method")] HttpRequest http, Caller caller, PaymentProfiles profiles, IRetriedStripeApi stripe, RandomSource random, Erasures erasures, CancellationToken ct)
    {
        if (request.PaymentMethodId is not { } token || !PaymentMethodId().IsMatch(token))
        {
            return Problems.Validation("paymentMethodId", "paymentMethodId is the id Stripe's SDK gave the card (pm_…, at most 100 characters).");
        }

        // A token issued before its account was erased must not make a Stripe customer for it again.
        if (await erasures.IsErasedAsync(caller.UserId, ct))
        {
            return ErasureFunctions.Erased();
        }

        // The customer is made once per user (the key makes a retry find the same one), then kept on the profile.
        var customerId = (await profiles.FindAsync(caller.UserId, ct))?.CustomerId;
        if (customerId is null)
        {
            var customer = await stripe.CreateCustomerAsync(caller.UserId, $"customer-{caller.UserId}", ct);
            customerId = customer.Value?.Id ?? throw new InvalidOperationException($"Stripe refused a customer: {customer.Error}");
            await profiles.SaveAsync(new PaymentProfile(caller.UserId, customerId, null, null, null), ct);
        }

        // Each attempt is a request of its own, so a card Stripe refused once can be tried again; a retry of the same
        // attempt (the app resending with its Idempotency-Key) is the same request to Stripe.
        var key = http.Headers[IdempotencyKeys.Header].ToString();
        if (key.Length > 0 && !IdempotencyKeys.IsWellFormed(key))
        {
            return Problems.Validation(IdempotencyKeys.Header, "The Idempotency-Key header, when given, is 1 to 255 visible ASCII characters.");
        }

        var attempt = key.Length > 0 ? IdempotencyKeys.Fingerprint(key)[..32] : random.NewId("try");
        var attached = await stripe.AttachPaymentMethodAsync(token, customerId, $"attach-{caller.UserId}-{attempt}", ct);
        if (attached.Value is not { } method)
        {
            return Problems.Validation("paymentMethodId", $"Stripe did not accept this payment method: {attached.Error!.Message}");
        }

        var profile = new PaymentProfile(caller.UserId, customerId, method.Id, method.Card?.Brand, method.Card?.Last4);
        await profiles.SaveAsync(profile, ct);
        return Results.Ok(new PaymentMethodView(method.Id, profile.Brand, profile.Last4));
    }

    [GeneratedRegex("^pm_[A-Za-z0-9_]{1,100}$")]
    private static partial Regex PaymentMethodId();
}
