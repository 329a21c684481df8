using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Companies;

/// <summary>Drivers keep their own profile, availability and location; admins and dispatchers see their company's.</summary>
public static class DriverFunctions
{
    public sealed record ProfileRequest([property: Required] string? Name, [property: Required] string? LicenceNumber, string? VehicleId);

    public sealed record AvailabilityRequest([property: Required] bool? Available);

    public sealed record LocationRequest([property: Required] double? Lat, [property: Required] double? Lng);

    /// <param name="AccountId">The driver's Stripe connected account (acct_…), where settlement pays them.</param>
    public sealed record PayoutAccountRequest([property: Required] string? AccountId);

    [Function("ListDrivers")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(Page<Driver>))]
    public static Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/drivers")] HttpRequest http,
        string companyId, string? after, int? limit, Caller caller, CompanyStore companies, CancellationToken ct) =>
        CompanyLists.PageAsync(
            companyId, after, limit, caller, companies, p => companies.ListDriversAsync(companyId, p.After, p.Limit, ct), d => d, ct);

    [Function("GetDriver")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(Driver))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/drivers/{driverId}")] HttpRequest http,
        string companyId, string driverId, Caller caller, CompanyStore companies, CancellationToken ct) =>
        await companies.IsCurrentMemberAsync(caller, companyId, ct) && LifecycleKeys.IsValidId(driverId) && await companies.FindDriverAsync(companyId, driverId, ct) is { } driver
            ? Results.Ok(driver)
            : Problems.NotFound($"Driver '{driverId}'");

    [Function("GetMyDriverProfile")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(Driver))]
    [Responds(StatusCodes.Status404NotFound)]
    public static async Task<IResult> GetMineAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "drivers/me")] HttpRequest http,
        Caller caller, CompanyStore companies, CancellationToken ct) =>
        await FindMineAsync(caller, companies, ct) is { } driver ? Results.Ok(driver) : MissingProfile();

    [Function("UpdateMyDriverProfile")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(Driver))]
    [Responds(StatusCodes.Status404NotFound)]
    public static async Task<IResult> UpdateMineAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "drivers/me")] HttpRequest http,
        [Body] ProfileRequest request, Caller caller, CompanyStore companies, DriverLocator locator, CancellationToken ct)
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
        Vehicle? vehicle = null;
        if (request.VehicleId is { } vehicleId && (vehicle = await companies.FindVehicleAsync(caller.CompanyId!, vehicleId, ct)) is null)
        {
            return Problems.NotFound($"Vehicle '{vehicleId}'");
        }

        if (await FindMineAsync(caller, companies, ct) is not { } driver)
        {
            return MissingProfile();
        }

        // What the vehicle is and carries goes on the driver's row: bids and the locator need it at every call.
        var fit = vehicle is null ? null : new VehicleFit(vehicle.Type, vehicle.Capacity.Seats, vehicle.Capacity.Kg);
        var changes = new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["LicenceNumber"] = licence,
            ["VehicleId"] = request.VehicleId ?? "",
            ["VehicleType"] = fit?.Type.ToString() ?? "",
            ["Seats"] = fit?.Seats ?? 0,
            ["Kg"] = fit?.Kg ?? 0,
        };

        // Without a vehicle a driver cannot take work.
        var updated = driver with { Name = name, LicenceNumber = licence, VehicleId = request.VehicleId, Fit = fit, Available = driver.Available && fit is not null };
        changes["Available"] = updated.Available;
        return await SaveAsync(caller, updated, changes, companies, locator, ct) ? Results.Ok(updated) : MissingProfile();
    }

    [Function("SetMyAvailability")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(Driver))]
    [Responds(StatusCodes.Status404NotFound)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> SetAvailabilityAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "drivers/me/availability")] HttpRequest http,
        [Body] AvailabilityRequest request, Caller caller, CompanyStore companies, DriverLocator locator, CancellationToken ct)
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

        var updated = driver with { Available = available };
        return await SaveAsync(caller, updated, new Dictionary<string, object?> { ["Available"] = available }, companies, locator, ct)
            ? Results.Ok(updated)
            : MissingProfile();
    }

    [Function("ReportMyLocation")]
    [Roles(Role.Driver)]
    [RateLimit(RateLimits.Location)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status404NotFound)]
    public static async Task<IResult> ReportLocationAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "drivers/me/location")] HttpRequest http,
        [Body] LocationRequest request, Caller caller, CompanyStore companies, DriverLocator locator, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (Coordinates.Read(request.Lat, request.Lng, "", errors) is not { } point)
        {
            return Problems.Validation(errors);
        }

        if (await FindMineAsync(caller, companies, ct) is not { } driver)
        {
            return MissingProfile();
        }

        var now = clock.GetUtcNow();
        var changes = new Dictionary<string, object?> { ["Lat"] = point.Lat, ["Lng"] = point.Lng, ["LocatedAt"] = now };
        var updated = driver with { LastLocation = new DriverLocation(point.Lat, point.Lng, now) };
        return await SaveAsync(caller, updated, changes, companies, locator, ct) ? Results.NoContent() : MissingProfile();
    }

    /// <summary>
    /// Writes a driver's changes and keeps their locator row where they are: in it while available with a vehicle
    /// and a known position, out of it otherwise. The row is written after the driver's, so a crash between the two
    /// leaves at worst a row the next call corrects (a search also checks availability at bid time).
    /// </summary>
    private static async Task<bool> SaveAsync(
        Caller caller, Driver updated, Dictionary<string, object?> changes, CompanyStore companies, DriverLocator locator, CancellationToken ct)
    {
        var cell = updated is { Available: true, Fit: { } fit, LastLocation: { } at } ? DriverLocator.CellOf(fit.Type, at.Point) : null;
        changes["Cell"] = cell ?? "";
        if (!await companies.UpdateDriverAsync(caller.CompanyId!, updated.Id, changes, ct))
        {
            return false;
        }

        if (updated.Cell is { } old && old != cell)
        {
            await locator.RemoveAsync(old, updated.Id, ct);
        }

        if (cell is not null)
        {
            var spot = new DriverSpot(updated.Id, caller.UserId, caller.CompanyId!, updated.LastLocation!.Point, updated.Fit!.Seats, updated.Fit.Kg, updated.LastLocation.At);
            await locator.PlaceAsync(cell, spot, ct);
        }

        return true;
    }

    private static async Task<Driver?> FindMineAsync(Caller caller, CompanyStore companies, CancellationToken ct) =>
        caller is { CompanyId: { } company, MemberId: { } member } ? await companies.FindDriverAsync(company, member, ct) : null;

    [Function("SetMyPayoutAccount")]
    [Roles(Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(Driver))]
    [Responds(StatusCodes.Status404NotFound)]
    public static async Task<IResult> SetPayoutAccountAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "drivers/me/payout-account")] HttpRequest http,
        [Body] PayoutAccountRequest request, Caller caller, CompanyStore companies, CancellationToken ct)
    {
        if (request.AccountId is not { Length: >= 8 and <= 64 } account || !account.StartsWith("acct_", StringComparison.Ordinal)
            || !account[5..].All(char.IsAsciiLetterOrDigit))
        {
            return Problems.Validation("accountId", "accountId is the driver's Stripe connected account id: acct_ and 3 to 59 letters or digits.");
        }

        return await FindMineAsync(caller, companies, ct) is { } driver
            && await companies.UpdateDriverAsync(caller.CompanyId!, driver.Id, new Dictionary<string, object?> { ["PayoutAccountId"] = account }, ct)
                ? Results.Ok(driver with { PayoutAccountId = account })
                : MissingProfile();
    }

    private static IResult MissingProfile() => Problems.NotFound("Your driver profile");
}
