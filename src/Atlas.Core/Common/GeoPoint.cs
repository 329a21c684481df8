namespace Atlas.Core.Common;

/// <summary>A WGS 84 position in degrees.</summary>
public readonly record struct GeoPoint(double Lat, double Lng)
{
    public static bool IsValidLatitude(double lat) => double.IsFinite(lat) && lat is >= -90 and <= 90;

    public static bool IsValidLongitude(double lng) => double.IsFinite(lng) && lng is >= -180 and <= 180;
}
