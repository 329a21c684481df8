using Atlas.Core.Integration;
using Atlas.Functions.Common;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Integration;

/// <summary>
/// The <see cref="Publish"/> effect: the business event goes out with the effect's id as its message id. Events being
/// published at the same moment share one send (a group commit), and each effect completes only once its own event
/// is out, so a failure retries exactly the effects that were in it.
/// </summary>
public sealed class IntegrationPublishing : IEffectHandler<Publish>
{
    /// <summary>At most this many events go in one send.</summary>
    public const int MaxGroup = 100;

    private readonly GroupCommit<IntegrationMessage> _sends;

    public IntegrationPublishing(IIntegrationEvents events) =>
        _sends = new GroupCommit<IntegrationMessage>(messages => events.PublishAsync(messages, CancellationToken.None), (group, _) => group.Count < MaxGroup);

    public async Task<object?> HandleAsync(Publish effect, EffectContext context, CancellationToken ct)
    {
        await PublishAsync(new IntegrationMessage(context.EffectId, effect.Event));
        return null;
    }

    /// <summary>Publishes one event outside a lifecycle (a payout) under an id of the caller's making.</summary>
    public Task PublishAsync(IntegrationMessage message) => _sends.AddAsync(message);
}
