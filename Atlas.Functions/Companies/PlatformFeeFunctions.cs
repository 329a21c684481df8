using System.ComponentModel;
using Atlas.Core.Auth;
using Atlas.Core.Ledger;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Payments;
using Microsoft.Extensions.Options;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Companies;

/// <summary>The platform's cut of a company's rides, set by platform admins: a percentage plus a fixed amount. A ride
/// keeps the fee in force when it was assigned.</summary>
public static class PlatformFeeFunctions
{
    /// <param name="Percent">0 to 100, two decimals at most; null (with fixed null) goes back to the default.</param>
    /// <param name="Fixed">Minor units added per ride.</param>
    [Description("percent and fixed together, or neither (or both null) to go back to the default fee.")]
    public sealed record FeeRequest(decimal? Percent, long? Fixed);

    public sealed record FeeView(decimal Percent, long Fixed, bool IsDefault);

    [Function("GetPlatformFee")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(FeeView))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/platform-fee")] HttpRequest http,
        string companyId, CompanyStore companies, IOptions<PaymentOptions> options, CancellationToken ct) =>
        await companies.FindAsync(companyId, ct) is { } company
            ? Results.Ok(View(company.Fee, options.Value))
            : Problems.NotFound($"Company '{companyId}'");

    [Function("SetPlatformFee")]
    [Roles(Role.PlatformAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(FeeView))]
    public static async Task<IResult> SetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "companies/{companyId}/platform-fee")] HttpRequest http,
        string companyId, [Body] FeeRequest request, CompanyStore companies, IOptions<PaymentOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Percent is { } percent && !PaymentOptions.IsPercent(percent))
        {
            errors["percent"] = ["percent is 0 to 100, with at most two decimals."];
        }

        if (request.Fixed is < 0 or > 100_000)
        {
            errors["fixed"] = ["fixed is 0 to 100000 minor units."];
        }

        if ((request.Percent is null) != (request.Fixed is null))
        {
            errors[request.Percent is null ? "percent" : "fixed"] = ["Give percent and fixed together, or neither to go back to the default."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        PlatformFee? fee = request.Percent is { } p ? new PlatformFee(PaymentOptions.ToBasisPoints(p), request.Fixed!.Value) : null;
        return await companies.SetPlatformFeeAsync(companyId, fee, ct)
            ? Results.Ok(View(fee, options.Value))
            : Problems.NotFound($"Company '{companyId}'");
    }

    private static FeeView View(PlatformFee? fee, PaymentOptions options)
    {
        var inForce = fee ?? options.DefaultFee;
        return new FeeView(inForce.BasisPoints / 100m, inForce.Fixed, fee is null);
    }
}
