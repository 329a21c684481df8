using System.Diagnostics;
using Atlas.Core.Notifications;

namespace Atlas.Functions.Notifications;

/// <summary>
/// One notice to one user on each of its channels (<see cref="NoticeCatalogue"/>), in the user's language: a push to
/// their devices, a text to their phone, the receipt to their verified email. Each channel's key is the notice's key
/// and the channel, so a retry sends only what did not go.
/// </summary>
public sealed class NoticeSending(IPushSender push, ISmsSender sms, Receipts receipts, UserProfiles profiles, ILogger<NoticeSending> logger)
{
    public async Task SendAsync(Notice notice, string key, CancellationToken ct)
    {
        var channels = NoticeCatalogue.ChannelsOf(notice.Topic);
        var profile = await profiles.FindRecentAsync(notice.UserId, ct);
        var language = profile?.Language;
        var text = NoticeCatalogue.Text(notice, language);
        Activity.Current?.AddEvent(new ActivityEvent("notice", tags: new ActivityTagsCollection { ["atlas.notice.topic"] = notice.Topic }));

        await push.SendAsync(
            new PushMessage(notice.UserId, notice.Topic, notice.BookingId, notice.RideId, NoticeCatalogue.Title(notice.Topic, language), text), key, ct);

        if (channels.HasFlag(Channels.Sms))
        {
            if (profile?.Phone is { } phone)
            {
                await sms.SendAsync(new SmsMessage(phone, $"Atlas: {text}", notice.Topic), $"{key}~sms", ct);
            }
            else
            {
                logger.LogWarning("Notice {Topic} to user {UserId} has no phone to text", notice.Topic, notice.UserId);
            }
        }

        if (channels.HasFlag(Channels.Email) && profile?.Email is { } email && notice.RideId is { } rideId)
        {
            await receipts.SendAsync(rideId, email, language, $"{key}~email", ct);
        }
    }
}
