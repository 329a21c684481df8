using Atlas.Core.Common;

namespace Atlas.Core.Notifications;

/// <summary>Tell people what happened: one effect per transition, however many people it concerns.</summary>
public sealed record Notify(IReadOnlyList<Notice> Notices) : Effect;

/// <summary>One message for one user. <paramref name="Topic"/> names what happened ("ride.driver-arrived"); the
/// booking (and, once there is one, the ride) it is about, so the app can open it; <paramref name="Amount"/> a
/// price or fee where one matters.</summary>
public sealed record Notice(string UserId, string Topic, string BookingId, long? Amount = null, string? RideId = null);
