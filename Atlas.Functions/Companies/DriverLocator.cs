using System.Globalization;
using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Companies;

/// <summary>
/// Where available drivers are, for finding the ones near a pickup: one partition per vehicle type and grid cell
/// of 0.2° (about 22 km north-south), a row per driver. A search reads the few cells its radius touches; nothing
/// reads every driver. Drivers' own calls keep it current (location, availability, vehicle), so a driver's row
/// moves with them and leaves when they stop being available.
/// </summary>
public sealed class DriverLocator(ITableStore tables)
{
    public const string Table = "DriverLocator";
    private const double CellDegrees = 0.2;
    private const double KmPerDegree = 111.2;

    public static string CellOf(VehicleType type, GeoPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{type}|{Cell(point.Lat)}|{Cell(point.Lng)}");

    public async Task PlaceAsync(string cell, DriverSpot spot, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(cell, spot.DriverId, new Dictionary<string, object?>
        {
            ["UserId"] = spot.UserId,
            ["CompanyId"] = spot.CompanyId,
            ["Lat"] = spot.Point.Lat,
            ["Lng"] = spot.Point.Lng,
            ["Seats"] = spot.Seats,
            ["Kg"] = spot.Kg,
            ["At"] = spot.At,
        })), ct);

    public async Task RemoveAsync(string cell, string driverId, CancellationToken ct) =>
        await tables.WriteAsync(Table, TableOperation.Delete(cell, driverId), ct);

    /// <summary>The drivers of a vehicle type within <paramref name="radiusKm"/> of a point, nearest first.</summary>
    public async Task<IReadOnlyList<DriverSpot>> NearAsync(GeoPoint point, VehicleType type, double radiusKm, CancellationToken ct)
    {
        var dLat = radiusKm / KmPerDegree;
        var dLng = Math.Min(180, radiusKm / (KmPerDegree * Math.Max(0.01, Math.Cos(point.Lat * Math.PI / 180))));
        var cells =
            from lat in Range(Cell(point.Lat - dLat), Cell(point.Lat + dLat))
            from lng in Range(Cell(point.Lng - dLng), Cell(point.Lng + dLng))
            select string.Create(CultureInfo.InvariantCulture, $"{type}|{lat}|{lng}");
        var found = await Task.WhenAll(cells.Select(cell => ReadCellAsync(cell, ct)));
        return found.SelectMany(spots => spots)
            .Select(s => (Spot: s, Km: s.Point.DistanceKm(point)))
            .Where(s => s.Km <= radiusKm)
            .OrderBy(s => s.Km)
            .Select(s => s.Spot)
            .ToList();
    }

    private async Task<List<DriverSpot>> ReadCellAsync(string cell, CancellationToken ct)
    {
        var spots = new List<DriverSpot>();
        string? continuation = null;
        do
        {
            var page = await tables.QueryPartitionAsync(Table, cell, null, continuation, 1000, ct);
            spots.AddRange(page.Rows.Select(r => new DriverSpot(
                r.RowKey,
                r.GetString("UserId")!,
                r.GetString("CompanyId")!,
                new GeoPoint(r.GetDouble("Lat")!.Value, r.GetDouble("Lng")!.Value),
                r.Properties.GetValueOrDefault("Seats") as int?,
                r.Properties.GetValueOrDefault("Kg") as int?,
                r.GetTime("At")!.Value)));
            continuation = page.Continuation;
        }
        while (continuation is not null);
        return spots;
    }

    private static long Cell(double degrees) => (long)Math.Floor(degrees / CellDegrees);

    private static IEnumerable<long> Range(long from, long to)
    {
        for (var i = from; i <= to; i++)
        {
            yield return i;
        }
    }
}

/// <summary>An available driver's last position and what their vehicle carries.</summary>
public sealed record DriverSpot(string DriverId, string UserId, string CompanyId, GeoPoint Point, int? Seats, int? Kg, DateTimeOffset At)
{
    public bool Carries(int? seats, int? kg) => (seats is null || Seats >= seats) && (kg is null || Kg >= kg);
}
