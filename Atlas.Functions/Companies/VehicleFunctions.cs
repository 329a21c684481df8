using System.ComponentModel.DataAnnotations;
using Atlas.Core.Auth;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Functions.Auth;
using Atlas.Functions.Common;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Companies;

/// <summary>A company's vehicles: admins add and remove them, dispatchers and drivers see them.</summary>
public static class VehicleFunctions
{
    /// <summary>In seats for people or in kg for a load: exactly one of the two.</summary>
    [ExactlyOne(nameof(Seats), nameof(Kg))]
    public sealed record Capacity(int? Seats, int? Kg);

    public sealed record AddRequest([property: Required] VehicleType? Type, [property: Required] Capacity? Capacity, [property: Required] string? Plate);

    public sealed record VehicleResponse(string Id, VehicleType Type, Capacity Capacity, string Plate, DateTimeOffset AddedAt)
    {
        public static VehicleResponse From(Vehicle v) => new(v.Id, v.Type, new Capacity(v.Capacity.Seats, v.Capacity.Kg), v.Plate, v.AddedAt);
    }

    [Function("ListVehicles")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher)]
    [Responds(StatusCodes.Status200OK, typeof(Page<VehicleResponse>))]
    public static Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/vehicles")] HttpRequest http,
        string companyId, string? after, int? limit, Caller caller, CompanyStore companies, CancellationToken ct) =>
        CompanyLists.PageAsync(
            companyId, after, limit, caller, companies, p => companies.ListVehiclesAsync(companyId, p.After, p.Limit, ct), VehicleResponse.From, ct);

    [Function("AddVehicle")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status201Created, typeof(VehicleResponse))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> AddAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "companies/{companyId}/vehicles")] HttpRequest http,
        string companyId,
        [Body] AddRequest request,
        [IdempotencyKey] string? idempotencyKey,
        Caller caller,
        CompanyStore companies,
        IdempotencyKeys keys,
        RandomSource random,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (!await companies.IsCurrentMemberAsync(caller, companyId, ct))
        {
            return Problems.NotFound($"Company '{companyId}'");
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Type is null)
        {
            errors["type"] = ["type is one of bike, car, van, truck."];
        }

        var capacity = new VehicleCapacity(request.Capacity?.Seats, request.Capacity?.Kg);
        if (request.Type is { } type && capacity.Check(type) is { } capacityRule)
        {
            errors["capacity"] = [capacityRule];
        }

        var plate = ProfileText.Plate(request.Plate);
        if (plate is null)
        {
            errors["plate"] = [ProfileText.PlateRule];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (id, answer) = await keys.CreateOnceAsync(
            idempotencyKey,
            $"vehicles|{companyId}|{caller.UserId}",
            IdempotencyKeys.Fingerprint(request.Type, capacity.Seats, capacity.Kg, plate),
            random.NewId("veh"),
            async made => await companies.FindVehicleAsync(companyId, made, ct) is { } vehicle ? Created(companyId, vehicle) : null,
            ct);
        if (answer is not null)
        {
            return answer;
        }

        var vehicle = new Vehicle(id, request.Type!.Value, capacity, plate!, clock.GetUtcNow());
        return await companies.AddVehicleAsync(companyId, vehicle, ct)
            ? Created(companyId, vehicle)
            : Problems.Rejected(new Rejection("plate-taken", $"The company already has a vehicle with plate {plate}."));
    }

    private static IResult Created(string companyId, Vehicle vehicle) =>
        Results.Created($"/api/companies/{companyId}/vehicles/{vehicle.Id}", VehicleResponse.From(vehicle));

    [Function("GetVehicle")]
    [Roles(Role.CompanyAdmin, Role.Dispatcher, Role.Driver)]
    [Responds(StatusCodes.Status200OK, typeof(VehicleResponse))]
    public static async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "companies/{companyId}/vehicles/{vehicleId}")] HttpRequest http,
        string companyId, string vehicleId, Caller caller, CompanyStore companies, CancellationToken ct) =>
        await FindAsync(companyId, vehicleId, caller, companies, ct) is { } vehicle
            ? Results.Ok(VehicleResponse.From(vehicle))
            : Problems.NotFound($"Vehicle '{vehicleId}'");

    [Function("RemoveVehicle")]
    [Roles(Role.CompanyAdmin)]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> RemoveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "companies/{companyId}/vehicles/{vehicleId}")] HttpRequest http,
        string companyId, string vehicleId, Caller caller, CompanyStore companies, CancellationToken ct)
    {
        if (await FindAsync(companyId, vehicleId, caller, companies, ct) is not { } vehicle)
        {
            return Problems.NotFound($"Vehicle '{vehicleId}'");
        }

        if (await companies.IsVehicleInUseAsync(companyId, vehicleId, ct))
        {
            return Problems.Rejected(new Rejection("vehicle-in-use", "A driver drives this vehicle; give them another one first."));
        }

        await companies.RemoveVehicleAsync(companyId, vehicle, ct);
        return Results.NoContent();
    }

    private static async Task<Vehicle?> FindAsync(string companyId, string vehicleId, Caller caller, CompanyStore companies, CancellationToken ct) =>
        await companies.IsCurrentMemberAsync(caller, companyId, ct) && LifecycleKeys.IsValidId(vehicleId) ? await companies.FindVehicleAsync(companyId, vehicleId, ct) : null;
}
