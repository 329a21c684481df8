using Atlas.Functions.Queues;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Hands a committed fact straight to its flow from the outbox's relay, without the <c>flows</c> queue's hop: a queue
/// put, the trigger's poll and its delete fewer, and no wait for the poll (docs/benchmarks.md, issue 21). It needs the
/// Durable client, which the Functions host gives only to a function that binds one: the <c>Flows</c> function offers
/// the one it is given (a client of the host's one gRPC endpoint, the same for every invocation), so facts take the
/// queue until that function has run once in this process. A hand-off that fails takes the queue as well, and the
/// outbox row is deleted only after one or the other, so no fact is lost.
/// </summary>
public sealed class FlowHandOff(FlowRoutes routes, FlowsKnownRunning known, IQueueClient queues, IServiceProvider services, ILogger<FlowHandOff> logger)
{
    /// <summary>How long the relay waits on the engine before the fact takes the queue instead.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private DurableTaskClient? _durable;

    /// <summary>The client a function invocation was given. The newest is kept: a host that restarted may listen
    /// elsewhere, and until its client comes, hand-offs to the old one fail and take the queue.</summary>
    public void Offer(DurableTaskClient durable) => Volatile.Write(ref _durable, durable);

    /// <returns>False when there is no client yet or the hand-off failed: the fact takes the queue.</returns>
    public async Task<bool> TryAsync(EffectEnvelope envelope, CancellationToken ct)
    {
        if (Volatile.Read(ref _durable) is not { } durable)
        {
            return false;
        }

        var fact = FlowDelivery.Read(envelope);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await FlowDelivery.DeliverAsync(fact, durable, routes, known, services, timeout.Token);
            return true;
        }
        catch (FlowNotReadyException)
        {
            await FlowDelivery.HoldAsync(envelope, fact, queues, ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Handing fact {EffectId} to its flow failed; it takes the queue", envelope.EffectId);
            return false;
        }
    }
}
