using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.Core.Integration;

namespace Atlas.Functions.Integration;

/// <summary>A business event on its way out: its id (the effect id, so a redelivery is recognised as the same message)
/// and the small versioned JSON document subscribers read.</summary>
public sealed record IntegrationMessage(string Id, BusinessEvent Event)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>{"id","type","version","occurredAt","companyId","bookingId","rideId","driverId","amount","currency","reason"}</c>,
    /// the ids and amounts present where the type has them.</summary>
    public string Document() => JsonSerializer.Serialize(
        new Document(Id, Event.Type, BusinessEvents.Version, Event.OccurredAt, Event.CompanyId, Event.BookingId, Event.RideId, Event.DriverId, Event.Amount, Event.Currency, Event.Reason),
        Json);
}

internal sealed record Document(
    string Id,
    string Type,
    int Version,
    DateTimeOffset OccurredAt,
    string? CompanyId,
    string? BookingId,
    string? RideId,
    string? DriverId,
    long? Amount,
    string? Currency,
    string? Reason);
