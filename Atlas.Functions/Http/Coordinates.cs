using System.ComponentModel.DataAnnotations;
using Atlas.Core.Common;

namespace Atlas.Functions.Http;

/// <summary>A position in a request body: {"lat": …, "lng": …}.</summary>
public sealed record PointBody([property: Required] double? Lat, [property: Required] double? Lng);

/// <summary>Reads positions from requests, adding a rule per bad field to the errors.</summary>
public static class Coordinates
{
    /// <param name="prefix">The field's path ("pickup."), empty when lat and lng are top-level fields.</param>
    public static GeoPoint? Read(double? lat, double? lng, string prefix, IDictionary<string, string[]> errors)
    {
        var ok = true;
        if (lat is not { } latitude || !GeoPoint.IsValidLatitude(latitude))
        {
            errors[prefix + "lat"] = [$"{prefix}lat is a latitude from -90 to 90."];
            ok = false;
        }

        if (lng is not { } longitude || !GeoPoint.IsValidLongitude(longitude))
        {
            errors[prefix + "lng"] = [$"{prefix}lng is a longitude from -180 to 180."];
            ok = false;
        }

        return ok ? new GeoPoint(lat!.Value, lng!.Value) : null;
    }

    public static GeoPoint? Read(PointBody? point, string field, IDictionary<string, string[]> errors)
    {
        if (point is null)
        {
            errors[field] = [$"{field} is a position: {{\"lat\": …, \"lng\": …}}."];
            return null;
        }

        return Read(point.Lat, point.Lng, field + ".", errors);
    }
}
