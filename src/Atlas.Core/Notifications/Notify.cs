using Atlas.Core.Common;

namespace Atlas.Core.Notifications;

/// <summary>Tell people what happened: one effect per transition, however many people it concerns.</summary>
public sealed record Notify(IReadOnlyList<Notice> Notices) : Effect;

/// <summary>One message for one user. <paramref name="Topic"/> names what happened ("ride.arrived"); the
/// subject is the booking or ride it is about; <paramref name="Amount"/> a price or fee where one matters.</summary>
public sealed record Notice(string UserId, string Topic, string SubjectId, long? Amount = null);
