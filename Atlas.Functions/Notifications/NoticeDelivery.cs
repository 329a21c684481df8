using Atlas.Core.Notifications;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Notifications;

/// <summary>Carries out <see cref="Notify"/>: each notice on its channels (<see cref="NoticeSending"/>), keyed by the
/// effect id and its place, so a redelivered effect sends nothing twice.</summary>
public sealed class NoticeDelivery(NoticeSending notices) : IEffectHandler<Notify>
{
    public async Task<object?> HandleAsync(Notify effect, EffectContext context, CancellationToken ct)
    {
        for (var i = 0; i < effect.Notices.Count; i++)
        {
            await notices.SendAsync(effect.Notices[i], $"{context.EffectId}#{i}", ct);
        }

        return null;
    }
}
