using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Functions.Auth;
using Atlas.Functions.Functions;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Companies;

/// <summary>Drivers keep their own profile, availability and location; admins and dispatchers see their company's.</summary>
public static class DriverFunctions
{
    private static readonly Access Drivers = Access.For(Role.Driver);
    private static readonly Access Staff = Access.For(Role.CompanyAdmin, Role.Dispatcher);

    public static void Declare(FunctionCatalog catalog, IServiceProvider services) => catalog
        .Http("ListDrivers", "GET", "companies/{companyId}/drivers", Staff, ListAsync)
        .Http("GetDriver", "GET", "companies/{companyId}/drivers/{driverId}", Staff, GetAsync)
        .Http("GetMyDriverProfile", "GET", "drivers/me", Drivers, GetMineAsync)
        .Http("UpdateMyDriverProfile", "PUT", "drivers/me", Drivers, UpdateMineAsync)
        .Http("SetMyAvailability", "PUT", "drivers/me/availability", Drivers, SetAvailabilityAsync)
        .Http("ReportMyLocation", "POST", "drivers/me/location", Drivers, ReportLocationAsync, RateLimits.Location);

    public sealed record ProfileRequest(string? Name, string? LicenceNumber, string? VehicleId);

    public sealed record AvailabilityRequest(bool? Available);

    public sealed record LocationRequest(double? Lat, double? Lng);

    private static Task<IResult> ListAsync(
        string companyId, string? after, int? limit, Caller caller, CompanyStore companies, CancellationToken ct) =>
        CompanyLists.PageAsync(
            companyId, after, limit, caller, companies, p => companies.ListDriversAsync(companyId, p.After, p.Limit, ct), d => d, ct);

    private static async Task<IResult> GetAsync(string companyId, string driverId, Caller caller, CompanyStore companies, CancellationToken ct) =>
        await companies.IsCurrentMemberAsync(caller, companyId, ct) && LifecycleKeys.IsValidId(driverId) && await companies.FindDriverAsync(companyId, driverId, ct) is { } driver
            ? Results.Ok(driver)
            : Problems.NotFound($"Driver '{driverId}'");

    private static async Task<IResult> GetMineAsync(Caller caller, CompanyStore companies, CancellationToken ct) =>
        await FindMineAsync(caller, companies, ct) is { } driver ? Results.Ok(driver) : MissingProfile();

    private static async Task<IResult> UpdateMineAsync(ProfileRequest request, Caller caller, CompanyStore companies, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = ProfileText.Name(request.Name);
        if (name is null)
        {
            errors["name"] = [ProfileText.NameRule];
        }

        var licence = ProfileText.LicenceNumber(request.LicenceNumber);
        if (licence is null)
        {
            errors["licenceNumber"] = [ProfileText.LicenceRule];
        }

        if (request.VehicleId is { } id && !LifecycleKeys.IsValidId(id))
        {
            errors["vehicleId"] = ["vehicleId is the id of one of your company's vehicles."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // A vehicle of another company is as unknown as one that does not exist.
        if (request.VehicleId is { } vehicleId && await companies.FindVehicleAsync(caller.CompanyId!, vehicleId, ct) is null)
        {
            return Problems.NotFound($"Vehicle '{vehicleId}'");
        }

        var changes = new Dictionary<string, object?> { ["Name"] = name, ["LicenceNumber"] = licence, ["VehicleId"] = request.VehicleId ?? "" };
        if (request.VehicleId is null)
        {
            // Without a vehicle a driver cannot take work.
            changes["Available"] = false;
        }

        return await companies.UpdateDriverAsync(caller.CompanyId!, caller.MemberId!, changes, ct)
            && await FindMineAsync(caller, companies, ct) is { } driver
            ? Results.Ok(driver)
            : MissingProfile();
    }

    private static async Task<IResult> SetAvailabilityAsync(AvailabilityRequest request, Caller caller, CompanyStore companies, CancellationToken ct)
    {
        if (request.Available is not { } available)
        {
            return Problems.Validation("available", "available is true or false.");
        }

        if (await FindMineAsync(caller, companies, ct) is not { } driver)
        {
            return MissingProfile();
        }

        if (available && !driver.IsReadyToDrive)
        {
            return Problems.Rejected(new Rejection("profile-incomplete", "Set your name, licence number and vehicle before going available."));
        }

        return await companies.UpdateDriverAsync(caller.CompanyId!, caller.MemberId!, new Dictionary<string, object?> { ["Available"] = available }, ct)
            ? Results.Ok(driver with { Available = available })
            : MissingProfile();
    }

    private static async Task<IResult> ReportLocationAsync(
        LocationRequest request, Caller caller, CompanyStore companies, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Lat is not { } lat || !GeoPoint.IsValidLatitude(lat))
        {
            errors["lat"] = ["lat is a latitude from -90 to 90."];
        }

        if (request.Lng is not { } lng || !GeoPoint.IsValidLongitude(lng))
        {
            errors["lng"] = ["lng is a longitude from -180 to 180."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var changes = new Dictionary<string, object?> { ["Lat"] = request.Lat, ["Lng"] = request.Lng, ["LocatedAt"] = clock.GetUtcNow() };
        return await companies.UpdateDriverAsync(caller.CompanyId!, caller.MemberId!, changes, ct) ? Results.NoContent() : MissingProfile();
    }

    private static async Task<Driver?> FindMineAsync(Caller caller, CompanyStore companies, CancellationToken ct) =>
        caller is { CompanyId: { } company, MemberId: { } member } ? await companies.FindDriverAsync(company, member, ct) : null;

    private static IResult MissingProfile() => Problems.NotFound("Your driver profile");
}
