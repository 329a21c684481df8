using Atlas.Core.Auth;
using Atlas.Core.Companies;
using Atlas.Core.Ledger;
using Atlas.Functions.Auth;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Companies;

/// <summary>
/// A company's data, one table partition per company: its profile, members, drivers (one row per driver
/// member, written with the member in one batch), vehicles and a row per plate that keeps plates unique.
/// Every read takes the company id, so nothing here can reach another company's rows.
/// </summary>
public sealed class CompanyStore(ITableStore tables)
{
    public const string Table = "Companies";

    private const string ProfileRow = "profile";
    private const string MemberPrefix = "member|";
    private const string DriverPrefix = "driver|";
    private const string VehiclePrefix = "vehicle|";
    private const string PlatePrefix = "plate|";

    /// <summary>A row per company, for platform admins' list (company ids never take this name).</summary>
    private const string DirectoryPartition = "directory";

    /// <summary>The company and its first admin, together or not at all.</summary>
    public async Task CreateAsync(Company company, Member admin, CancellationToken ct)
    {
        var write = await tables.ExecuteBatchAsync(
            Table,
            [
                TableOperation.Insert(new TableRow(company.Id, ProfileRow, new Dictionary<string, object?>
                {
                    ["Name"] = company.Name,
                    ["CreatedAt"] = company.CreatedAt,
                })),
                TableOperation.Insert(MemberRow(company.Id, admin)),
            ],
            ct);
        Ensure(write, "create company");

        // Written after the company, with the same values on a retry: a company is listed once it exists.
        await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(DirectoryPartition, company.Id, new Dictionary<string, object?>
        {
            ["Name"] = company.Name,
            ["CreatedAt"] = company.CreatedAt,
        })), ct);
    }

    /// <summary>The companies in id order, for platform admins.</summary>
    public async Task<Page<Company>> ListCompaniesAsync(string? after, int take, CancellationToken ct) =>
        await PageAsync(DirectoryPartition, "", after, take, row => new Company(row.RowKey, row.GetString("Name")!, row.GetTime("CreatedAt")!.Value), ct);

    public async Task<Company?> FindAsync(string companyId, CancellationToken ct) =>
        await tables.GetAsync(Table, companyId, ProfileRow, ct) is { } row
            ? new Company(
                companyId,
                row.GetString("Name")!,
                row.GetTime("CreatedAt")!.Value,
                row.Properties.GetValueOrDefault("BidWindowSeconds") is int seconds and > 0 ? seconds : null,
                row.Properties.GetValueOrDefault("FeeBasisPoints") is int points and >= 0 ? new PlatformFee(points, row.GetLong("FeeFixed")) : null)
            : null;

    /// <summary>Sets the platform's fee on the company's rides (null: back to the default); false when there is no such company.</summary>
    public async Task<bool> SetPlatformFeeAsync(string companyId, PlatformFee? fee, CancellationToken ct)
    {
        // A merge cannot remove a property: -1 stands for "not set".
        var changes = new Dictionary<string, object?> { ["FeeBasisPoints"] = fee?.BasisPoints ?? -1, ["FeeFixed"] = fee?.Fixed ?? 0L };
        var write = await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(companyId, ProfileRow, changes), "*"), ct);
        return write.Status != TableWriteStatus.NotFound && Ensure(write, "change the platform fee");
    }

    /// <summary>Changes the company's bid window (null: back to the default); false when the company is not there.</summary>
    public async Task<bool> SetBidWindowAsync(string companyId, int? seconds, CancellationToken ct)
    {
        // A merge cannot remove a property: 0 stands for "not set".
        var changes = new Dictionary<string, object?> { ["BidWindowSeconds"] = seconds ?? 0 };
        var write = await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(companyId, ProfileRow, changes), "*"), ct);
        return write.Status != TableWriteStatus.NotFound && Ensure(write, "change the bid window");
    }

    /// <summary>Adds a member (and, for a driver, an empty driver profile). False when the member id exists.</summary>
    public async Task<bool> AddMemberAsync(string companyId, Member member, CancellationToken ct)
    {
        List<TableOperation> operations = [TableOperation.Insert(MemberRow(companyId, member))];
        if (member.Role == Role.Driver)
        {
            operations.Add(TableOperation.Insert(new TableRow(companyId, DriverPrefix + member.Id, new Dictionary<string, object?>
            {
                ["Phone"] = member.Phone,
                ["Available"] = false,
            })));
        }

        var write = await tables.ExecuteBatchAsync(Table, operations, ct);
        return write.Status != TableWriteStatus.Conflict && Ensure(write, "add member");
    }

    /// <summary>
    /// Whether the caller belongs to this company and still holds the role its token says. A token outlives a
    /// removal by up to its lifetime; this read closes that gap for everything done in the company's name.
    /// </summary>
    public async Task<bool> IsCurrentMemberAsync(Caller caller, string companyId, CancellationToken ct) =>
        caller.BelongsTo(companyId)
        && caller.MemberId is { } memberId
        && await FindMemberAsync(companyId, memberId, ct) is { } member
        && member.Role == caller.Role;

    public async Task<Member?> FindMemberAsync(string companyId, string memberId, CancellationToken ct) =>
        await tables.GetAsync(Table, companyId, MemberPrefix + memberId, ct) is { } row ? ToMember(row) : null;

    public async Task<Page<Member>> ListMembersAsync(string companyId, string? after, int take, CancellationToken ct) =>
        await PageAsync(companyId, MemberPrefix, after, take, ToMember, ct);

    public async Task RemoveMemberAsync(string companyId, Member member, CancellationToken ct)
    {
        List<TableOperation> operations = [TableOperation.Delete(companyId, MemberPrefix + member.Id)];
        if (member.Role == Role.Driver)
        {
            operations.Add(TableOperation.Delete(companyId, DriverPrefix + member.Id));
        }

        var write = await tables.ExecuteBatchAsync(Table, operations, ct);
        if (write.Status != TableWriteStatus.NotFound)
        {
            Ensure(write, "remove member");
        }
    }

    public async Task<Driver?> FindDriverAsync(string companyId, string driverId, CancellationToken ct) =>
        await tables.GetAsync(Table, companyId, DriverPrefix + driverId, ct) is { } row ? ToDriver(row) : null;

    public async Task<Page<Driver>> ListDriversAsync(string companyId, string? after, int take, CancellationToken ct) =>
        await PageAsync(companyId, DriverPrefix, after, take, ToDriver, ct);

    /// <summary>Changes some of a driver's fields; false when the driver is no longer there.</summary>
    public async Task<bool> UpdateDriverAsync(string companyId, string driverId, IReadOnlyDictionary<string, object?> changes, CancellationToken ct)
    {
        var write = await tables.WriteAsync(Table, TableOperation.Merge(new TableRow(companyId, DriverPrefix + driverId, changes), "*"), ct);
        return write.Status != TableWriteStatus.NotFound && Ensure(write, "update driver");
    }

    /// <summary>Adds a vehicle; false when the company already has one with this plate.</summary>
    public async Task<bool> AddVehicleAsync(string companyId, Vehicle vehicle, CancellationToken ct)
    {
        var write = await tables.ExecuteBatchAsync(
            Table,
            [
                TableOperation.Insert(new TableRow(companyId, VehiclePrefix + vehicle.Id, new Dictionary<string, object?>
                {
                    ["Type"] = vehicle.Type.ToString(),
                    ["Seats"] = vehicle.Capacity.Seats,
                    ["Kg"] = vehicle.Capacity.Kg,
                    ["Plate"] = vehicle.Plate,
                    ["AddedAt"] = vehicle.AddedAt,
                })),
                TableOperation.Insert(new TableRow(companyId, PlatePrefix + vehicle.Plate, new Dictionary<string, object?>
                {
                    ["VehicleId"] = vehicle.Id,
                })),
            ],
            ct);
        return write.Status != TableWriteStatus.Conflict && Ensure(write, "add vehicle");
    }

    public async Task<Vehicle?> FindVehicleAsync(string companyId, string vehicleId, CancellationToken ct) =>
        await tables.GetAsync(Table, companyId, VehiclePrefix + vehicleId, ct) is { } row ? ToVehicle(row) : null;

    public async Task<Page<Vehicle>> ListVehiclesAsync(string companyId, string? after, int take, CancellationToken ct) =>
        await PageAsync(companyId, VehiclePrefix, after, take, ToVehicle, ct);

    public async Task RemoveVehicleAsync(string companyId, Vehicle vehicle, CancellationToken ct)
    {
        var write = await tables.ExecuteBatchAsync(
            Table, [TableOperation.Delete(companyId, VehiclePrefix + vehicle.Id), TableOperation.Delete(companyId, PlatePrefix + vehicle.Plate)], ct);
        if (write.Status != TableWriteStatus.NotFound)
        {
            Ensure(write, "remove vehicle");
        }
    }

    /// <summary>The drivers that drive this vehicle (a company's drivers fit in memory).</summary>
    public async Task<bool> IsVehicleInUseAsync(string companyId, string vehicleId, CancellationToken ct)
    {
        var rows = await tables.QueryPageAsync(Table, companyId, DriverPrefix, null, 1000, ct);
        return rows.Any(r => r.GetString("VehicleId") == vehicleId);
    }

    private async Task<Page<T>> PageAsync<T>(
        string companyId, string prefix, string? after, int take, Func<TableRow, T> map, CancellationToken ct)
    {
        // One row more than asked tells whether there is a next page.
        var rows = await tables.QueryPageAsync(Table, companyId, prefix, after is null ? null : prefix + after, take + 1, ct);
        var items = rows.Take(take).ToList();
        return new Page<T>(items.Select(map).ToList(), rows.Count > take ? items[^1].RowKey[prefix.Length..] : null);
    }

    private static TableRow MemberRow(string companyId, Member member) =>
        new(companyId, MemberPrefix + member.Id, new Dictionary<string, object?>
        {
            ["Phone"] = member.Phone,
            ["Role"] = RoleNames.ToText(member.Role),
            ["AddedAt"] = member.AddedAt,
        });

    private static Member ToMember(TableRow row) => new(
        row.RowKey[MemberPrefix.Length..],
        row.GetString("Phone")!,
        RoleNames.TryParse(row.GetString("Role"), out var role) ? role : throw new InvalidOperationException($"Member {row.RowKey} has no valid role."),
        row.GetTime("AddedAt")!.Value);

    private static Driver ToDriver(TableRow row) => new(
        row.RowKey[DriverPrefix.Length..],
        row.GetString("Phone")!,
        row.GetString("Name"),
        row.GetString("LicenceNumber"),
        row.GetString("VehicleId") is { Length: > 0 } vehicleId ? vehicleId : null,
        row.GetDouble("Rating"),
        row.Properties.GetValueOrDefault("Available") is true,
        row.GetDouble("Lat") is { } lat && row.GetDouble("Lng") is { } lng && row.GetTime("LocatedAt") is { } at
            ? new DriverLocation(lat, lng, at)
            : null,
        Enum.TryParse<VehicleType>(row.GetString("VehicleType"), out var type)
            ? new VehicleFit(type, Positive(row, "Seats"), Positive(row, "Kg"))
            : null,
        row.GetString("Cell") is { Length: > 0 } cell ? cell : null,
        row.GetString("PayoutAccountId") is { Length: > 0 } account ? account : null);

    private static Vehicle ToVehicle(TableRow row) => new(
        row.RowKey[VehiclePrefix.Length..],
        Enum.Parse<VehicleType>(row.GetString("Type")!),
        new VehicleCapacity(row.Properties.GetValueOrDefault("Seats") as int?, row.Properties.GetValueOrDefault("Kg") as int?),
        row.GetString("Plate")!,
        row.GetTime("AddedAt")!.Value);

    /// <summary>A count stored as 0 when absent (a merge cannot remove a property).</summary>
    private static int? Positive(TableRow row, string name) => row.Properties.GetValueOrDefault(name) is int value and > 0 ? value : null;

    private static bool Ensure(TableWrite write, string what) => write.Succeeded
        ? true
        : throw new InvalidOperationException($"Storage refused to {what}: {write.Status}.");
}
