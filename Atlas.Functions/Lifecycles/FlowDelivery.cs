using System.Text.Json;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// How a committed fact reaches its flow without loss (docs/lifecycles.md, "Facts to flows"). The relay hands the outbox's
/// fact to its flow itself (<see cref="FlowHandOff"/>), or puts it on the <c>flows</c> queue, whose function does the
/// same: it starts the flow with the fact when none runs (and sends the fact back, to raise it once the flow has run,
/// when the flow's row shows another fact's start won), raises it to a flow that has run, and sends it back to the queue
/// while the flow's start is still being dequeued (the Azure Storage provider can
/// drop an event raised to an instance whose first episode has not run). A fact the flow's custom status shows it has
/// heard is not raised, and one a finished flow heard does not start it again. A fact after its instance was over starts
/// a flow of its own, so it never meets a flow that is ending.
/// </summary>
public static class FlowDelivery
{
    public const string Function = "Flows";

    /// <summary>How long a fact for a flow that has not run yet first waits before it is tried again: about an episode.
    /// Each time it comes back it waits twice as long, up to <see cref="NotReadyMaxDelay"/>.</summary>
    public static readonly TimeSpan NotReadyDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan NotReadyMaxDelay = TimeSpan.FromSeconds(8);

    [Function(Function)]
    public static async Task RunAsync(
        [QueueTrigger(LifecycleFunctions.Prefix + FlowFact.Queue)] string message,
        [DurableClient] DurableTaskClient durable,
        FlowRoutes routes,
        FlowsKnownRunning known,
        FlowHandOff handOff,
        IQueueClient queues,
        IServiceProvider services,
        CancellationToken ct)
    {
        handOff.Offer(durable);
        var envelope = JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)
            ?? throw new InvalidOperationException("A flow's fact message is empty.");
        var fact = Read(envelope);
        try
        {
            await DeliverAsync(fact, durable, routes, known, services, ct);
        }
        catch (FlowNotReadyException)
        {
            await HoldAsync(envelope, fact, queues, ct);
        }
    }

    /// <summary>Puts a fact whose flow has not run yet back on the queue as a new message: however long the engine
    /// takes to run the flow's first episode, the wait spends none of the message's deliveries (which would end in the
    /// poison queue: a fact lost). It waits longer each time: when the engine is behind on first episodes, facts read
    /// again every second only add to what it is behind on (docs/benchmarks.md, issue 21).</summary>
    public static async Task HoldAsync(EffectEnvelope envelope, FlowFact fact, IQueueClient queues, CancellationToken ct)
    {
        var held = fact with { Held = fact.Held + 1 };
        var again = envelope with { Payload = JsonSerializer.SerializeToElement(held, LifecycleJson.Options) };
        await queues.SendAsync(FlowFact.Queue, JsonSerializer.Serialize(again, LifecycleJson.Options), HeldDelay(fact.Held), ct);
    }

    /// <summary>How long a fact that has come back <paramref name="held"/> times already waits: 1, 2, 4, 8, 8… s.</summary>
    public static TimeSpan HeldDelay(int held) =>
        TimeSpan.FromTicks(Math.Min(NotReadyDelay.Ticks << Math.Min(held, 8), NotReadyMaxDelay.Ticks));

    public static FlowFact Read(EffectEnvelope envelope) =>
        envelope.Payload.Deserialize<FlowFact>(LifecycleJson.Options)
            ?? throw new InvalidOperationException($"Outbox entry {envelope.EffectId} carries no fact.");

    /// <exception cref="FlowNotReadyException">The flow's start has not run yet: the message comes back.</exception>
    public static async Task DeliverAsync(FlowFact fact, DurableTaskClient durable, FlowRoutes routes, FlowsKnownRunning known, IServiceProvider services, CancellationToken ct)
    {
        var route = routes.Find(fact.Lifecycle)
            ?? throw new InvalidOperationException($"No flow follows lifecycle '{fact.Lifecycle}'.");
        var flowId = route.FlowOf(fact.Id);
        var start = new FlowStart(fact, route.Settings(services));
        if (fact.AfterOver)
        {
            // False for a redelivered message: that flow is under way or done.
            await durable.StartOnceAsync(route.Orchestrator, start, fact.AfterOverFlowId(flowId), ct);
            return;
        }

        if (known.Knows(flowId))
        {
            try
            {
                await durable.RaiseEventAsync(flowId, FlowFact.Event, fact, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Finished since (the host refuses the event), or the raise failed: read it, as for any flow.
                known.Forget(flowId);
            }
        }

        // Its custom status says what the flow has heard: a fact it heard (the one that started it, or one it read back)
        // needs no raise, and one it heard before it finished must not start it again.
        var flow = await durable.GetInstanceAsync(flowId, getInputsAndOutputs: true, ct);
        switch (flow?.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed when AlreadyHeard(fact, flow):
                // Late news of a journey that has ended (a relay's redelivery, a held fact whose start lost the race):
                // nothing to hear. A flow started with it would wait on a deadline of an instance that is over (issue
                // 21, ninth stop).
                return;
            case null or OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated:
                // None runs: start one with what it needs. Two facts that find no flow at once both start it (the
                // provider writes a new instance's row after its start message); it runs the start whose row was
                // written and drops the other, with its fact (issue 21, eighth stop: a ride's escrow never
                // authorised). So the row is read back: a fact that is not the flow's input is held, to be raised
                // once the flow has run. Heard twice, a fact counts once: by version, its steps by id.
                if (await durable.StartOnceAsync(route.Orchestrator, start, flowId, ct) && await StartedWithAsync(durable, flowId, fact, ct))
                {
                    return;
                }

                throw new FlowNotReadyException(flowId);
            case OrchestrationRuntimeStatus.Pending:
                throw new FlowNotReadyException(flowId);
            default:
                if (flow.RuntimeStatus == OrchestrationRuntimeStatus.Running)
                {
                    known.Saw(flowId, flow.CreatedAt);
                }

                if (AlreadyHeard(fact, flow))
                {
                    return;
                }

                await durable.RaiseEventAsync(flowId, FlowFact.Event, fact, ct);
                return;
        }
    }

    /// <summary>The flow's row holds this fact as its input: its start is the one the engine runs (the provider runs
    /// the start message whose execution the row names).</summary>
    private static async Task<bool> StartedWithAsync(DurableTaskClient durable, string flowId, FlowFact fact, CancellationToken ct)
    {
        var flow = await durable.GetInstanceAsync(flowId, getInputsAndOutputs: true, ct);
        if (string.IsNullOrEmpty(flow?.SerializedInput))
        {
            return false;
        }

        try
        {
            // A start's input names its fact; an execution that continued as new names none.
            return JsonSerializer.Deserialize<FlowStart>(flow.SerializedInput, LifecycleJson.Options)?.Fact is { } started
                && started.Key == fact.Key && started.Version == fact.Version;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The flow shows it has heard this version or a later one (the fact started it, or it read the instance
    /// since). Not for a fact with steps: a flow that read the instance's state heard its version but not its steps.</summary>
    private static bool AlreadyHeard(FlowFact fact, OrchestrationMetadata flow) =>
        fact.Steps.Count == 0
        && FlowStatus.Read(flow.SerializedCustomStatus)?.Heard?.GetValueOrDefault(fact.Key) is { } heard && heard.Version >= fact.Version;
}

/// <summary>A fact for a flow whose start has not run: raised now it could be dropped, so its message comes back.</summary>
public sealed class FlowNotReadyException(string flowId) : Exception($"Flow {flowId} has not run its first episode yet; the fact comes back.");
