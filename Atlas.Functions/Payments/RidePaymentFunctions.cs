using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using Atlas.Core.Auth;
using Atlas.Core.Payments;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Rides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Atlas.Functions.Ops;

namespace Atlas.Functions.Payments;

/// <summary>A ride's money: what was held and charged (the rider, the driver's side, platform admins), the rider's
/// tip after a completed ride, and refunds by platform admins. Tips and refunds are carried out by the escrow: 202.</summary>
public static class RidePaymentFunctions
{
    public sealed record TipRequest([property: Required] long? Amount);

    /// <summary>A refund names its amount, or says <c>"full": true</c> for everything captured and not yet refunded:
    /// an empty body refunds nothing.</summary>
    [Description("A refund names its amount, or says \"full\": true for everything captured and not yet refunded; one of the two is required.")]
    public sealed record RefundRequest(
        [property: Description("The refund in minor units of the ride's currency, more than 0. Required unless full is true.")] long? Amount,
        [property: Description("true refunds everything captured and not yet refunded; leave amount out then.")] bool? Full);

    [Function("GetRidePayment")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(PaymentView))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rides/{rideId}/payment")] HttpRequest http,
        string rideId, Caller caller, RideContext rides, Lifecycle<Escrow, EscrowCommand> escrows, CancellationToken ct)
    {
        if (await rides.FindAsync(rideId, caller, fresh: false, ct) is not { } found)
        {
            return Problems.NotFound($"Ride '{rideId}'");
        }

        var (escrow, _) = await escrows.GetAsync(rideId, ct);
        return escrow.Terms is null ? Problems.NotFound($"The payment of ride '{rideId}'") : Results.Ok(PaymentView.Of(escrow, found.Viewer));
    }

    [Function("TipRide")]
    [Roles(Role.Rider, Role.Dispatcher)]
    [Responds(StatusCodes.Status202Accepted, typeof(PaymentView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> TipAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/tip")] HttpRequest http,
        string rideId,
        [Body] TipRequest request,
        [IdempotencyKey] string? idempotencyKey,
        Caller caller,
        RideContext rides,
        Lifecycle<Escrow, EscrowCommand> escrows,
        EscrowDecider rules,
        RandomSource random,
        CancellationToken ct)
    {
        if (request.Amount is not (> 0 and var amount) || amount > rules.Rules.MaxTip)
        {
            return Problems.Validation("amount", $"amount is the tip in minor units of the ride's currency, 1 to {rules.Rules.MaxTip}.");
        }

        if (idempotencyKey is not null && !IdempotencyKeys.IsWellFormed(idempotencyKey))
        {
            return Problems.Validation(IdempotencyKeys.Header, IdempotencyKeys.Rule);
        }

        if (await rides.FindAsync(rideId, caller, fresh: false, ct) is not { Viewer: RideViewer.Rider })
        {
            return Problems.NotFound($"Ride '{rideId}'");
        }

        // A retry with the same key is the same tip; without a key every request is a new one (and refused: one tip a ride).
        var tipId = idempotencyKey is null ? random.NewId("tip") : "tip_" + IdempotencyKeys.Fingerprint(caller.UserId, idempotencyKey)[..24];
        var result = await escrows.ExecuteAsync(rideId, new AddTip(tipId, amount), ct);
        return Problems.For(result, r => Results.Accepted($"/api/rides/{rideId}/payment", PaymentView.Of(r.State, RideViewer.Rider)));
    }

    [Function("RefundRide")]
    [Audited("ride.refund")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status202Accepted, typeof(PaymentView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> RefundAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rides/{rideId}/refunds")] HttpRequest http,
        string rideId,
        [Body] RefundRequest? request,
        [IdempotencyKey(Required = true)] string? idempotencyKey,
        Lifecycle<Escrow, EscrowCommand> escrows,
        IdempotencyKeys keys,
        RandomSource random,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IdempotencyKeys.IsWellFormed(idempotencyKey))
        {
            errors[IdempotencyKeys.Header] = [IdempotencyKeys.Rule];
        }

        switch (request)
        {
            case { Amount: <= 0 }:
                errors["amount"] = ["amount is the refund in minor units, more than 0."];
                break;
            case { Amount: not null, Full: true }:
                errors["full"] = ["Give amount or \"full\": true, not both."];
                break;
            case null or { Amount: null, Full: not true }:
                errors["amount"] = ["amount is required: the refund in minor units, or \"full\": true to refund everything not yet refunded."];
                break;
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (escrow, _) = await escrows.GetAsync(rideId, ct);
        if (escrow.Terms is null)
        {
            return Problems.NotFound($"The payment of ride '{rideId}'");
        }

        var amount = request!.Amount ?? (escrow.Captured - escrow.Refunded);
        var claim = await keys.ClaimAsync($"refunds|{rideId}", idempotencyKey!, IdempotencyKeys.Fingerprint(request!.Amount, request.Full), random.NewId("rf"), ct);
        if (claim.Mismatch)
        {
            return Problems.IdempotencyKeyReused();
        }

        var result = await escrows.ExecuteAsync(rideId, new RequestRefund(claim.ResourceId, amount), ct);
        return Problems.For(result, r => Results.Accepted($"/api/rides/{rideId}/payment", PaymentView.Of(r.State, RideViewer.PlatformAdmin)));
    }
}
