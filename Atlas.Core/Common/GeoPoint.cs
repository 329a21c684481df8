namespace Atlas.Core.Common;

/// <summary>A WGS 84 position in degrees.</summary>
public readonly record struct GeoPoint(double Lat, double Lng)
{
    private const double EarthRadiusKm = 6371.0088;

    public static bool IsValidLatitude(double lat) => double.IsFinite(lat) && lat is >= -90 and <= 90;

    public static bool IsValidLongitude(double lng) => double.IsFinite(lng) && lng is >= -180 and <= 180;

    /// <summary>Great-circle distance (haversine) on the mean Earth radius.</summary>
    public double DistanceKm(GeoPoint other)
    {
        var dLat = Radians(other.Lat - Lat);
        var dLng = Radians(other.Lng - Lng);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(Lat)) * Math.Cos(Radians(other.Lat)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
