using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Atlas.Testing.Sample;
using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Lifecycles;

/// <summary>The runtime on Azurite with the sample lifecycle: commands, effects, feedback and timers.</summary>
public sealed class LifecycleRuntimeTests : IAsyncLifetime
{
    private TestRuntime _runtime = null!;

    public async Task InitializeAsync() => _runtime = await TestRuntime.StartAsync();

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    /// <summary>A command, and the relay it began after answering.</summary>
    private async Task<CommandResult<JobState>> Send(string id, JobCommand command)
    {
        var result = await _runtime.Jobs.ExecuteAsync(id, command, default);
        await _runtime.RelaysQuietAsync();
        return result;
    }

    private Task<int> QueueLength(string queue) =>
        _runtime.Services.GetRequiredService<IQueueClient>().ApproximateCountAsync(queue, default);

    [Fact]
    public async Task The_first_command_creates_the_instance_at_version_one_with_its_deadline()
    {
        var result = await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));

        var view = await _runtime.Jobs.ReadAsync("a", default);
        Assert.Equal(CommandStatus.Applied, result.Status);
        Assert.Equal(1, result.Version);
        Assert.Equal(_runtime.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), view!.Deadline);
    }

    [Fact]
    public async Task An_effect_is_relayed_to_its_queue_once_the_command_has_answered_and_leaves_the_outbox()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));

        Assert.Empty((await _runtime.Jobs.ReadAsync("a", default))!.Outbox);
        Assert.Equal(1, await QueueLength(EffectRoutes.DefaultQueue));
    }

    [Fact]
    public async Task A_command_answers_before_its_relay_and_the_next_command_on_the_instance_waits_for_that_relay()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gated = await TestRuntime.StartAsync(
            _runtime.Prefix, _runtime.Clock, services => services.Decorate<IQueueClient>((inner, _) => new GatedQueueClient(inner, gate.Task)));

        var opened = await gated.Jobs.ExecuteAsync("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);
        Assert.Equal(CommandStatus.Applied, opened.Status);
        Assert.Equal(2, (await gated.Jobs.ReadAsync("a", default))!.Outbox.Count); // the announcement and the fact, not yet sent

        // The relay still holds the instance: the next command waits for it (a bounded look for what must not happen).
        var added = gated.Jobs.ExecuteAsync("a", new AddWork("r1", 3), default);
        Assert.NotSame(added, await Task.WhenAny(added, Task.Delay(TimeSpan.FromMilliseconds(300))));

        gate.SetResult();
        Assert.Equal((CommandStatus.Applied, 2L), ((await added).Status, (await added).Version));
        await gated.RelaysQuietAsync();
        Assert.Empty((await gated.Jobs.ReadAsync("a", default))!.Outbox);
        Assert.Equal(1, await QueueLength(EffectRoutes.DefaultQueue));
    }

    [Fact]
    public async Task A_handled_effect_feeds_its_result_back_to_the_instance()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));

        await _runtime.PumpAsync();

        var (state, version) = await _runtime.Jobs.GetAsync("a", default);
        Assert.True(Assert.IsType<Open>(state).Announced);
        Assert.Equal(2, version);
        Assert.Equal(["job:a:1:0"], await _runtime.Announcer.AppliedAsync());
        Assert.Equal(0, await QueueLength(EffectRoutes.DefaultQueue));
    }

    [Fact]
    public async Task A_repeated_command_is_unchanged_and_writes_nothing()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));
        await Send("a", new AddWork("r1", 3));

        var repeat = await Send("a", new AddWork("r1", 3));

        Assert.Equal(CommandStatus.Unchanged, repeat.Status);
        var (state, version) = await _runtime.Jobs.GetAsync("a", default);
        Assert.Equal(3, Assert.IsType<Open>(state).Total);
        Assert.Equal(2, version);
    }

    [Fact]
    public async Task A_rejected_command_returns_the_reason_and_writes_nothing()
    {
        var result = await Send("never-opened", new AddWork("r1", 3));

        Assert.Equal(CommandStatus.Rejected, result.Status);
        Assert.Equal("job-not-open", result.Rejection!.Code);
        Assert.Null(await _runtime.Jobs.ReadAsync("never-opened", default));
    }

    [Fact]
    public async Task A_timer_does_not_fire_before_its_deadline()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));
        _runtime.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

        await _runtime.ScanAsync();

        Assert.IsType<Open>((await _runtime.Jobs.GetAsync("a", default)).State);
    }

    [Fact]
    public async Task A_timer_fires_at_its_deadline_and_only_once()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));
        _runtime.Clock.Advance(TimeSpan.FromMinutes(5));

        var fired = await _runtime.FireDeadlinesAsync();
        var again = await _runtime.FireDeadlinesAsync();

        var (state, version) = await _runtime.Jobs.GetAsync("a", default);
        Assert.Equal(_runtime.Clock.GetUtcNow(), Assert.IsType<Closed>(state).ClosedAt);
        Assert.Equal(2, version);
        Assert.Equal(1, fired);
        Assert.Equal(0, again);
    }

    [Fact]
    public async Task A_timer_that_fires_late_still_applies()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));
        _runtime.Clock.Advance(TimeSpan.FromHours(3));

        await _runtime.ScanAsync();

        Assert.IsType<Closed>((await _runtime.Jobs.GetAsync("a", default)).State);
    }

    [Fact]
    public async Task A_timer_whose_lifecycle_moved_on_is_ignored()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));
        await Send("a", new CloseJob());
        _runtime.Clock.Advance(TimeSpan.FromMinutes(10));

        await _runtime.ScanAsync();

        var (state, version) = await _runtime.Jobs.GetAsync("a", default);
        Assert.IsType<Closed>(state);
        Assert.Equal(2, version);
    }

    [Fact]
    public async Task A_new_deadline_reaches_the_flow_through_the_outbox_with_the_transition_that_set_it()
    {
        var opened = await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));

        // After the transition's own effect (the announcement, index 0), under the same version.
        var (envelope, fact) = Assert.Single(await FactMessagesAsync());
        Assert.Equal(FlowFact.Kind, envelope.Kind);
        Assert.Equal("job:a:1:1", envelope.EffectId);
        Assert.Equal((1L, Assert.IsType<Open>(opened.State).ClosesAt, false), (fact.Version, fact.Deadline, fact.Over));
        Assert.Empty((await _runtime.Jobs.ReadAsync("a", default))!.Outbox);
    }

    [Fact]
    public async Task A_transition_that_keeps_its_deadline_tells_the_flow_nothing_and_the_end_tells_it_once()
    {
        await Send("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)));
        await Send("a", new AddWork("r1", 3));
        await Send("a", new CloseJob());

        var facts = (await FactMessagesAsync()).Select(m => m.Fact).ToList();
        Assert.Equal([(1L, false), (3L, true)], facts.Select(f => (f.Version, f.Over)));
        Assert.Null(facts[1].Deadline);
    }

    private async Task<List<(EffectEnvelope Envelope, FlowFact Fact)>> FactMessagesAsync() =>
        (await _runtime.Services.GetRequiredService<IQueueClient>().ReceiveAsync(FlowFact.Queue, 32, TimeSpan.FromMinutes(1), default))
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<EffectEnvelope>(m.Text, LifecycleJson.Options)!)
            .Select(e => (e, FlowDelivery.Read(e)))
            .ToList();

    [Fact]
    public async Task The_scan_relays_an_outbox_that_the_fast_path_never_sent()
    {
        var faults = new Faults(crashAtCall: 4); // the first queue send right after the commit: load, relay row, commit, send
        await using (var crashing = await TestRuntime.StartAsync(_runtime.Prefix, _runtime.Clock, FaultInjection.With(faults)))
        {
            await crashing.Jobs.ExecuteAsync("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);
            await crashing.RelaysQuietAsync();
            Assert.StartsWith("queue send", faults.Trace[^1], StringComparison.Ordinal);
        }

        var pending = (await _runtime.Jobs.ReadAsync("a", default))!.Outbox;

        // Within the grace the fast path may still be at it, so the scan leaves the outbox alone.
        await _runtime.ScanAsync();
        Assert.Equal(2, (await _runtime.Jobs.ReadAsync("a", default))!.Outbox.Count);

        _runtime.Clock.Advance(_runtime.Services.GetRequiredService<IOptions<LifecycleOptions>>().Value.RelayGrace);
        await _runtime.Services.GetRequiredService<RelayScan>().RunOnceAsync(default);

        // The announcement and the fact that tells the job's flow of its deadline.
        Assert.Equal(["job:a:1:0", "job:a:1:1"], pending.Select(p => p.EffectId));
        Assert.Empty((await _runtime.Jobs.ReadAsync("a", default))!.Outbox);
        Assert.Equal(1, await QueueLength(EffectRoutes.DefaultQueue));
        Assert.Equal(1, await QueueLength(FlowFact.Queue));
    }

    [Fact]
    public async Task A_state_larger_than_one_table_property_round_trips()
    {
        await Send("big", new OpenJob("Crate", TimeSpan.FromMinutes(5)));

        // 1,200 request ids make a state of about 38,000 characters: more than one property holds.
        foreach (var chunk in Enumerable.Range(0, 1200).Chunk(100))
        {
            await Task.WhenAll(chunk.Select(i => Send("big", new AddWork($"request-with-a-long-id-{i:D5}", 1))));
        }

        var fresh = await TestRuntime.StartAsync(_runtime.Prefix, _runtime.Clock); // no cached state: read from storage
        await using (fresh)
        {
            var (state, version) = await fresh.Jobs.GetAsync("big", default);
            var open = Assert.IsType<Open>(state);
            Assert.Equal(1200, open.Total);
            Assert.Equal(1200, open.AppliedRequests.Count);
            Assert.Equal(1201, version);
        }

        var stored = await _runtime.Services.GetRequiredService<Atlas.Functions.Storage.ITableStore>()
            .GetAsync(LifecycleKeys.Table, LifecycleKeys.Partition("job", "big"), LifecycleKeys.StateRow, default);
        Assert.NotNull(stored!.GetString("State1"));
    }

    [Fact]
    public async Task Instances_are_independent()
    {
        await Send("a", new OpenJob("A", TimeSpan.FromMinutes(5)));
        await Send("b", new OpenJob("B", TimeSpan.FromMinutes(50)));
        _runtime.Clock.Advance(TimeSpan.FromMinutes(6));

        await _runtime.ScanAsync();

        Assert.IsType<Closed>((await _runtime.Jobs.GetAsync("a", default)).State);
        Assert.IsType<Open>((await _runtime.Jobs.GetAsync("b", default)).State);
    }

    [Fact]
    public async Task An_id_outside_the_key_rules_is_refused_before_storage_is_touched()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Send("has/slash", new OpenJob("A", TimeSpan.FromMinutes(5))));
    }
}
