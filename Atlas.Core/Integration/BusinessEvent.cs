using Atlas.Core.Common;

namespace Atlas.Core.Integration;

/// <summary>
/// A fact of the marketplace that other systems (analytics, a CRM, a partner's dispatch) subscribe to: what happened,
/// when, the ids it concerns, the company it belongs to (for subscription filters) and amounts in minor units. Never a
/// phone number, a code or card data.
/// </summary>
public sealed record BusinessEvent(
    string Type,
    DateTimeOffset OccurredAt,
    string? CompanyId = null,
    string? BookingId = null,
    string? RideId = null,
    string? DriverId = null,
    long? Amount = null,
    string? Currency = null,
    string? Reason = null);

/// <summary>Publish a business event to the systems that subscribe (once per effect id).</summary>
public sealed record Publish(BusinessEvent Event) : Effect;

/// <summary>The catalogue: every business event Atlas publishes.</summary>
public static class BusinessEvents
{
    public const string BookingCreated = "booking.created";
    public const string BookingCancelled = "booking.cancelled";
    public const string RideAssigned = "ride.assigned";
    public const string RideCompleted = "ride.completed";
    public const string RideCancelled = "ride.cancelled";
    public const string PaymentCaptured = "payment.captured";
    public const string PaymentRefunded = "payment.refunded";
    public const string PayoutPaid = "payout.paid";
    public const string DisputeOpened = "dispute.opened";
    public const string DisputeClosed = "dispute.closed";

    public static IReadOnlyList<string> All { get; } =
        [BookingCreated, BookingCancelled, RideAssigned, RideCompleted, RideCancelled, PaymentCaptured, PaymentRefunded, PayoutPaid, DisputeOpened, DisputeClosed];

    /// <summary>The document version of every type; a change to a type's shape that a subscriber could trip on bumps it.</summary>
    public const int Version = 1;
}
