using Atlas.Core.Common;
using Atlas.Core.Companies;
using Atlas.Core.Quotes;

namespace Atlas.Functions.Quotes;

/// <summary>A price offered to one user for one trip, good for <see cref="Lifetime"/>. It is not stored: its id is
/// the quote itself, signed (<see cref="QuoteTokens"/>), so it cannot be altered and costs no storage.</summary>
public sealed record Quote(
    string UserId, GeoPoint Pickup, GeoPoint Dropoff, VehicleType VehicleType, DateTimeOffset? ScheduledAt, Fare Fare, DateTimeOffset ExpiresAt)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
}
