using Atlas.Core.Auth;
using Atlas.Core.Rides;
using Atlas.Functions.Bookings;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Notifications;

namespace Atlas.Functions.Privacy;

/// <summary>
/// Everything Atlas holds about one user, as one document: what they can read back, never a secret (no token, code,
/// token hash, ride start code or 3-D Secure client secret).
/// </summary>
/// <param name="Driver">Their driver profile, when they drive for a company.</param>
/// <param name="Bookings">The bookings they made.</param>
/// <param name="Rides">The rides they rode in or drove.</param>
/// <param name="Texts">The texts sent to their phone through the SMS provider (the development recorder keeps none).</param>
public sealed record ExportDocument(
    DateTimeOffset ExportedAt,
    AccountExport Account,
    ProfileExport? Profile,
    DriverExport? Driver,
    IReadOnlyList<SessionExport> Sessions,
    IReadOnlyList<DeviceExport> Devices,
    IReadOnlyList<BookingView> Bookings,
    IReadOnlyList<RideExport> Rides,
    IReadOnlyList<RatingExport> RatingsGiven,
    PaymentsExport Payments,
    IReadOnlyList<TextExport> Texts);

/// <param name="MemberSince">When their company added them, if they belong to one.</param>
public sealed record AccountExport(string UserId, string Phone, Role Role, string? CompanyId, string? MemberId, DateTimeOffset? MemberSince);

public sealed record ProfileExport(string? Language, string? Email, string? PendingEmail);

public sealed record DriverExport(
    string? Name, string? LicenceNumber, string? VehicleId, double? Rating, bool Available, DriverLocation? LastLocation, string? PayoutAccountId);

/// <param name="Status">active or revoked.</param>
/// <param name="EndReason">Why a revoked session ended: logout, or reuse (a used refresh token came back).</param>
public sealed record SessionExport(string Id, string Status, DateTimeOffset? StartedAt, DateTimeOffset? LastRefreshedAt, DateTimeOffset? EndedAt, string? EndReason);

public sealed record DeviceExport(string DeviceId, DevicePlatform Platform, DateTimeOffset UpdatedAt);

/// <param name="As">rider or driver.</param>
public sealed record RideExport(
    string Id,
    string BookingId,
    string As,
    RideStatus Status,
    PointBody Pickup,
    PointBody Dropoff,
    long Price,
    string Currency,
    DateTimeOffset? AssignedAt,
    DateTimeOffset? StartedAt,
    EndingView? Ending);

/// <param name="Of">Whom the user rated: the driver (they rode) or the rider (they drove).</param>
public sealed record RatingExport(string RideId, string Of, int Stars, string? Comment, DateTimeOffset At);

/// <param name="StripeCustomerId">Their customer at Stripe, which holds their card.</param>
/// <param name="Rides">The payment of each ride they rode in.</param>
/// <param name="Earnings">For a driver: each ledger transaction that changed what they are owed or have held.</param>
public sealed record PaymentsExport(
    string? StripeCustomerId, CardExport? Card, IReadOnlyList<RidePaymentExport> Rides, IReadOnlyList<ReceiptExport> Receipts, IReadOnlyList<EarningExport> Earnings);

public sealed record CardExport(string PaymentMethodId, string? Brand, string? Last4);

public sealed record RidePaymentExport(string RideId, string Status, string Currency, long Price, long Captured, long Refunded, long? Tip, string? Dispute);

public sealed record ReceiptExport(
    string RideId, string Currency, IReadOnlyList<ReceiptLine> Lines, long Total, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? Card, string? Company);

public sealed record ReceiptLine(string Label, long Amount);

/// <param name="Earned">What the transaction added to what they are owed (a payout or a refund takes away: negative).</param>
/// <param name="Held">What it froze (positive) or released (negative) for a dispute.</param>
/// <param name="Reference">The Stripe transfer, for a payout.</param>
public sealed record EarningExport(string TransactionId, string Kind, string? RideId, DateTimeOffset At, string Currency, long Earned, long Held, string? Reference);

public sealed record TextExport(string Kind, DateTimeOffset SentAt, string Status);
