using System.Diagnostics;
using Atlas.Core.Notifications;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Notifications;

/// <summary>Carries out <see cref="Notify"/>: one push per notice, each keyed by the effect id and its place, so a
/// redelivered effect sends nothing twice to a provider that dedupes.</summary>
public sealed class NoticeDelivery(IPushSender push) : IEffectHandler<Notify>
{
    public async Task<object?> HandleAsync(Notify effect, EffectContext context, CancellationToken ct)
    {
        for (var i = 0; i < effect.Notices.Count; i++)
        {
            var notice = effect.Notices[i];
            var message = new PushMessage(notice.UserId, notice.Topic, notice.BookingId, notice.RideId, NoticeTexts.For(notice));
            Activity.Current?.AddEvent(new ActivityEvent("notice", tags: new ActivityTagsCollection { ["atlas.notice.topic"] = notice.Topic }));
            await push.SendAsync(message, $"{context.EffectId}#{i}", ct);
        }

        return null;
    }
}
