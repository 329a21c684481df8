using System.ComponentModel;
using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Companies;

/// <summary>A company's own settings: so far, how long the bookings its dispatchers make stay open for bids.</summary>
public static class CompanySettingsFunctions
{
    /// <param name="BidWindowSeconds">The company's window; null (or left out) goes back to the default.</param>
    public sealed record SettingsRequest(
        [property: Description("The bid window of the company's bookings in seconds; null (or left out) goes back to the default.")] int? BidWindowSeconds);

    /// <param name="BidWindowSeconds">The window in force (the company's, or the default).</param>
    public sealed record SettingsResponse(int BidWindowSeconds, bool IsDefault);

    [Function("GetCompanySettings")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(SettingsResponse))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/settings")] HttpRequest http,
        string companyId, Caller caller, CompanyStore companies, IOptions<BookingOptions> options, CancellationToken ct) =>
        await companies.IsCurrentMemberAsync(caller, companyId, ct) && await companies.FindAsync(companyId, ct) is { } company
            ? Results.Ok(Describe(company.BidWindowSeconds, options.Value))
            : Problems.NotFound($"Company '{companyId}'");

    [Function("UpdateCompanySettings")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status200OK, typeof(SettingsResponse))]
    public static async Task<IResult> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "companies/{companyId}/settings")] HttpRequest http,
        string companyId, [Body] SettingsRequest request, Caller caller, CompanyStore companies, IOptions<BookingOptions> options, CancellationToken ct)
    {
        if (!await companies.IsCurrentMemberAsync(caller, companyId, ct))
        {
            return Problems.NotFound($"Company '{companyId}'");
        }

        if (request.BidWindowSeconds is < BookingOptions.MinBidWindowSeconds or > BookingOptions.MaxBidWindowSeconds)
        {
            return Problems.Validation("bidWindowSeconds", BookingOptions.BidWindowRule);
        }

        return await companies.SetBidWindowAsync(companyId, request.BidWindowSeconds, ct)
            ? Results.Ok(Describe(request.BidWindowSeconds, options.Value))
            : Problems.NotFound($"Company '{companyId}'");
    }

    private static SettingsResponse Describe(int? seconds, BookingOptions options) =>
        new(seconds ?? (int)options.BidWindow.TotalSeconds, seconds is null);
}
