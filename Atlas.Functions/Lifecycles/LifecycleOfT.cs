using System.Text.Json;
using Atlas.Core.Common;
using Atlas.Functions.Telemetry;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Drives one decider on storage: load the state, decide, commit the new state with its outbox in one batch (retrying
/// on a lost ETag race), then relay the outbox. A new deadline travels in the commit's <see cref="FlowFact"/> to the
/// flow that follows the instance, whose durable timer sends the decider its timeout (<see cref="FlowActivities.FireDeadline"/>).
/// </summary>
public sealed class Lifecycle<TState, TCommand>(
    Decider<TState, TCommand> decider,
    InstanceStore store,
    RelayIndex relays,
    OutboxRelay relay,
    RelayedOutboxes outboxes,
    EffectRoutes routes,
    FlowRoutes flows,
    InstanceLocks locks,
    StateCache cache,
    IEnumerable<IStateMetrics<TState, TCommand>> metrics,
    IEnumerable<ILifecycleObserver> observers,
    TimeProvider clock,
    IOptions<LifecycleOptions> options,
    ILogger<Lifecycle<TState, TCommand>> logger) : Lifecycle
    where TState : class
    where TCommand : class
{
    private readonly FlowRoute? _flow = flows.Find(decider.Type);

    public override string Type => decider.Type;

    /// <param name="isNew">The id was just generated, so there is nothing to read: the first attempt decides on the
    /// initial state and inserts; an insert that finds a row falls back to reading it.</param>
    /// <param name="flowKnows">The flow that follows this lifecycle sent the command and reads the outcome itself.</param>
    public async Task<CommandResult<TState>> ExecuteAsync(string id, TCommand command, CancellationToken ct, bool isNew = false, bool flowKnows = false)
    {
        var partition = LifecycleKeys.Partition(Type, id);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Lifecycle"] = Type, ["InstanceId"] = id });
        using var held = await locks.AcquireAsync(partition, ct);

        var maxAttempts = Math.Max(1, options.Value.MaxAttempts);
        var mustRead = false;
        for (var attempt = 1; ;)
        {
            // The last state this process wrote saves a read; the ETag still guards the write, and a refusal
            // is only given on a state read fresh from storage.
            var cached = mustRead ? null : cache.Get(partition);
            var assumedNew = (isNew || cache.KnownAbsent(partition)) && !mustRead && cached is null;
            var stored = cached ?? (assumedNew ? null : await store.LoadAsync(Type, id, ct));
            var state = stored is null ? decider.Initial : Deserialize(stored.Json);
            var version = stored?.Version ?? 0;
            var now = clock.GetUtcNow();
            var decision = decider.Decide(state, command, now);

            if (decision is not Decision<TState>.Accepted accepted)
            {
                if (cached is not null || assumedNew)
                {
                    mustRead = true;
                    continue;
                }

                if (decision is Decision<TState>.Rejected rejected)
                {
                    logger.LogInformation("{Command} rejected: {Code}", command.GetType().Name, rejected.Rejection.Code);
                    return new CommandResult<TState>(CommandStatus.Rejected, state, version, rejected.Rejection);
                }

                return new CommandResult<TState>(CommandStatus.Unchanged, state, version);
            }

            var next = version + 1;
            var outbox = accepted.Effects.Select((effect, index) => ToOutbox(id, next, index, effect)).ToList();
            var factVersion = stored?.FactVersion;
            if (FactFor(id, next, stored, state, accepted, outbox, flowKnows, now) is { } fact)
            {
                outbox.RemoveAll(e => e.Queue == FlowFact.StepQueue);
                outbox.Add(fact.ToOutbox(accepted.Effects.Count));
                factVersion = fact.AfterOver ? factVersion : next;
            }

            // The relay row goes first: a crash after it leaves a row that relays an empty outbox, never a lost effect.
            var relayDue = outbox.Count > 0 ? await relays.ScheduleAsync(Type, id, next, now + options.Value.RelayGrace, ct) : null;
            var json = JsonSerializer.Serialize(accepted.State, LifecycleJson.Options);
            var deadlineTrace = accepted.Deadline == stored?.Deadline ? stored?.DeadlineTrace : AtlasTelemetry.Current;
            var commit = await outboxes.CommitWithAsync(partition, outbox.Count, relayed =>
                store.CommitAsync(Type, id, stored, json, next, accepted.Deadline, outbox, now, ct, deadlineTrace, factVersion, relayed));
            if (commit.Succeeded)
            {
                cache.Set(partition, new StoredState(json, next, accepted.Deadline, now, commit.ETag!, deadlineTrace, factVersion));
                foreach (var counted in metrics)
                {
                    counted.Changed(state, accepted.State, command);
                }

                await ObserveAsync(id, state, accepted.State, now, ct);
                logger.LogDebug("{Command} applied: version {Version}", command.GetType().Name, next);
                if (relayDue is not null)
                {
                    // The caller has its answer once the commit is made; the relay goes on with the instance's lock, so
                    // the next command on it waits and the instance's relays keep its commits' order.
                    await relay.RelayAfterCommitAsync(outbox, relayDue, held);
                }

                return new CommandResult<TState>(CommandStatus.Applied, accepted.State, next);
            }

            // Another process moved first.
            cache.Remove(partition);
            mustRead = true;
            if (attempt++ >= maxAttempts)
            {
                logger.LogWarning("{Command} gave up after {Attempts} concurrent writes", command.GetType().Name, maxAttempts);
                return new CommandResult<TState>(CommandStatus.Contended, state, version);
            }

            if (cached is null && !assumedNew)
            {
                // Jitter on wall time, not the injected clock: it spreads real racing writers apart.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(100, 4 << attempt))), ct);
            }
        }
    }

    /// <summary>As <see cref="ExecuteAsync"/>, for a caller its queue message or activity retries whole: losing every
    /// race throws <see cref="ContendedException"/> instead of returning Contended.</summary>
    public async Task<CommandResult<TState>> ExecuteOrRetryAsync(string id, TCommand command, CancellationToken ct, bool isNew = false)
    {
        var result = await ExecuteAsync(id, command, ct, isNew);
        ContendedException.ThrowIf(result.Status, $"{command.GetType().Name} to {Type} {id}");
        return result;
    }

    private async Task ObserveAsync(string id, TState before, TState after, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.CommittedAsync(Type, id, before, after, now, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Observer} was not told of a commit", observer.GetType().Name);
            }
        }
    }

    public override async Task<CommandStatus> ExecuteAsync(string id, object command, CancellationToken ct, bool flowKnows = false) =>
        command is TCommand typed
            ? (await ExecuteAsync(id, typed, ct, flowKnows: flowKnows)).Status
            : throw new ArgumentException($"{command.GetType().Name} is not a command of lifecycle '{Type}'.", nameof(command));

    public override async Task<CommandStatus> TimeoutAsync(string id, DateTimeOffset deadline, CancellationToken ct, bool flowKnows = false) =>
        (await ExecuteAsync(id, decider.Timeout(deadline), ct, flowKnows: flowKnows)).Status;

    public override async Task<FlowFact?> FactAsync(string id, CancellationToken ct)
    {
        if (_flow is null)
        {
            return null;
        }

        var stored = cache.Get(LifecycleKeys.Partition(Type, id)) ?? await store.LoadAsync(Type, id, ct);
        if (stored is null)
        {
            return null;
        }

        var state = Deserialize(stored.Json);
        return new FlowFact(Type, id, stored.Version, stored.Deadline, _flow.IsOver(state), [], _flow.Awaits(state), Trace: stored.DeadlineTrace);
    }

    /// <summary>The fact a commit sends its flow: when the instance began or ended, its deadline came earlier (or there
    /// was none), or it has steps to take; none when the flow made the commit itself and reads it back (its steps
    /// aside). A deadline that moved later or went needs no news: the flow's timer for the earlier one fires, the
    /// decider ignores it, and the firing reads back what the instance waits on now — for a ride that ends before its
    /// set-off deadline would have come, never at all.</summary>
    private FlowFact? FactFor(string id, long next, StoredState? stored, TState before, Decision<TState>.Accepted accepted, List<OutboxEntry> outbox, bool flowKnows, DateTimeOffset now)
    {
        var steps = outbox.Where(e => e.Queue == FlowFact.StepQueue).Select(e => e.Envelope).ToList();
        if (_flow is null)
        {
            // A deadline or a step with no flow to keep it would never fire or be taken.
            return accepted.Deadline is not null || steps.Count > 0
                ? throw new InvalidOperationException($"Lifecycle '{Type}' set a deadline or a step, and no flow follows it (AddFlow).")
                : null;
        }

        var wasOver = stored is not null && _flow.IsOver(before);
        var over = _flow.IsOver(accepted.State);
        var earlier = accepted.Deadline is { } deadline && (stored?.Deadline is not { } was || deadline < was);
        var news = stored is null || earlier || over != wasOver;
        return steps.Count > 0 || (news && !flowKnows)
            ? new FlowFact(Type, id, next, accepted.Deadline, over, steps, _flow.Awaits(accepted.State), wasOver, AtlasTelemetry.Current, now)
            : null;
    }

    /// <param name="cachedIsEnough">The caller only needs what never changes once set (who rides with whom), or a hint
    /// that a command decides again on fresh state: the state this process last wrote will do, even if another
    /// process has moved the instance on since.</param>
    public async Task<(TState State, long Version)> GetAsync(string id, CancellationToken ct, bool cachedIsEnough = false)
    {
        var partition = LifecycleKeys.Partition(Type, id);
        var stored = cachedIsEnough ? cache.Get(partition) : null;
        if (stored is null && !(cachedIsEnough && cache.KnownAbsent(partition)))
        {
            // A command that follows soon (a bid's duty check, then the award's reservation) decides on it unread.
            stored = await store.LoadAsync(Type, id, ct);
            cache.Offer(partition, stored);
        }

        return stored is null ? (decider.Initial, 0) : (Deserialize(stored.Json), stored.Version);
    }

    /// <summary>Deletes the instance as it stands (its state and pending outbox): for erasure and retention, never for
    /// an instance still in use. Nothing to delete is done too.</summary>
    public override async Task DeleteAsync(string id, CancellationToken ct)
    {
        var partition = LifecycleKeys.Partition(Type, id);
        using var held = await locks.AcquireAsync(partition, ct);
        await outboxes.FlushAsync(partition, ct);
        // A command that moved the instance since it was read fails the delete's ETag: read again (a race, not a retry).
        for (var attempt = 1; attempt <= Math.Max(1, options.Value.MaxAttempts); attempt++)
        {
            cache.Remove(partition);
            if (await store.LoadAsync(Type, id, ct) is not { } stored || await store.DeleteAsync(Type, id, stored.ETag, ct))
            {
                return;
            }
        }

        throw new ContendedException($"Deleting {partition} lost every race with a command.");
    }

    public override async Task<InstanceView?> ReadAsync(string id, CancellationToken ct)
    {
        var stored = await store.LoadAsync(Type, id, ct);
        if (stored is null)
        {
            return null;
        }

        // What this process relayed is not pending: it goes before the outbox is read.
        await outboxes.FlushAsync(LifecycleKeys.Partition(Type, id), ct);
        var outbox = await store.ReadOutboxAsync(Type, id, ct);
        using var state = JsonDocument.Parse(stored.Json);
        return new InstanceView(
            Type,
            id,
            stored.Version,
            state.RootElement.Clone(),
            stored.Deadline,
            stored.UpdatedAt,
            outbox.Select(r => new PendingEffectView(r.GetString("EffectId")!, r.GetString("Kind")!, r.GetString("Queue")!, r.GetTime("CreatedAt"))).ToList());
    }

    private OutboxEntry ToOutbox(string id, long version, int index, Effect effect)
    {
        var route = routes.For(effect);
        var envelope = new EffectEnvelope(
            LifecycleKeys.EffectId(Type, id, version, index),
            route.Kind,
            Type,
            id,
            JsonSerializer.SerializeToElement(effect, effect.GetType(), LifecycleJson.Options),
            AtlasTelemetry.Current);
        return new OutboxEntry(Type, id, LifecycleKeys.OutboxRow(version, index), envelope, route.Queue);
    }

    private static TState Deserialize(string json) =>
        JsonSerializer.Deserialize<TState>(json, LifecycleJson.Options)
        ?? throw new InvalidOperationException("A stored state deserialised to null.");
}
