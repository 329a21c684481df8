using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Companies;

/// <summary>A company's own settings: so far, how long the bookings its dispatchers make stay open for bids.</summary>
public static class CompanySettingsFunctions
{
    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("GetCompanySettings", "GET", "companies/{companyId}/settings", Access.For(Role.CompanyAdmin, Role.Dispatcher), GetAsync)
        .Http("UpdateCompanySettings", "PUT", "companies/{companyId}/settings", Access.For(Role.CompanyAdmin), UpdateAsync);

    public sealed record SettingsRequest(int? BidWindowSeconds);

    /// <param name="BidWindowSeconds">The window in force (the company's, or the default).</param>
    public sealed record SettingsResponse(int BidWindowSeconds, bool IsDefault);

    private static async Task<IResult> GetAsync(
        string companyId, Caller caller, CompanyStore companies, IOptions<BookingOptions> options, CancellationToken ct) =>
        await companies.IsCurrentMemberAsync(caller, companyId, ct) && await companies.FindAsync(companyId, ct) is { } company
            ? Results.Ok(Describe(company.BidWindowSeconds, options.Value))
            : Problems.NotFound($"Company '{companyId}'");

    private static async Task<IResult> UpdateAsync(
        string companyId, SettingsRequest request, Caller caller, CompanyStore companies, IOptions<BookingOptions> options, CancellationToken ct)
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
