namespace Atlas.Functions.Notifications;

/// <summary>The port to a push provider (APNs/FCM behind one service). <paramref name="idempotencyKey"/> is the
/// effect id and the notice's place in it: a provider that dedupes by it shows a redelivered notice once.</summary>
public interface IPushSender
{
    Task SendAsync(PushMessage message, string idempotencyKey, CancellationToken ct);
}

/// <param name="Topic">What happened ("ride.driver-arrived"): the app picks its screen by it.</param>
/// <param name="BookingId">The booking it is about.</param>
/// <param name="RideId">The ride it is about, once the booking has one.</param>
/// <param name="Title">What it is about, in the user's language ("Ride").</param>
/// <param name="Text">What happened, in the user's language.</param>
public sealed record PushMessage(string UserId, string Topic, string BookingId, string? RideId, string Title, string Text);
