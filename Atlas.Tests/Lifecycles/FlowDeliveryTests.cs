using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace Atlas.Tests.Lifecycles;

/// <summary>The <c>Flows</c> function's side of a fact: one whose flow has not run yet comes back, each time later; one
/// for a flow this process has seen running is raised without a read.</summary>
public sealed class FlowDeliveryTests
{
    private const string FlowId = "flow-a";

    private readonly Mock<DurableTaskClient> _durable = new("test");
    private readonly Mock<IQueueClient> _queues = new();
    private readonly List<(string Text, TimeSpan Delay)> _sent = [];
    private readonly FlowRoutes _routes = new([new FlowRoute("job", "JobFlow", _ => FlowId, _ => false, _ => [], _ => null)]);
    private readonly ManualClock _clock = new();
    private readonly FlowsKnownRunning _known;

    public FlowDeliveryTests()
    {
        _known = new FlowsKnownRunning(_clock);
        _queues.Setup(q => q.SendAsync(FlowFact.Queue, It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string text, TimeSpan delay, CancellationToken _) => _sent.Add((text, delay)))
            .Returns(Task.CompletedTask);
    }

    private void FlowIs(OrchestrationRuntimeStatus status, string? customStatus = null) =>
        _durable.Setup(d => d.GetInstanceAsync(FlowId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("JobFlow", FlowId) { RuntimeStatus = status, CreatedAt = _clock.GetUtcNow(), SerializedCustomStatus = customStatus });

    private Task Deliver(string message) =>
        FlowDelivery.RunAsync(message, _durable.Object, _routes, _known, HandOff(), _queues.Object, Mock.Of<IServiceProvider>(), default);

    private FlowHandOff HandOff() =>
        new(_routes, _known, _queues.Object, Mock.Of<IServiceProvider>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<FlowHandOff>.Instance);

    private void VerifyRaised(int version, Times times) =>
        _durable.Verify(d => d.RaiseEventAsync(FlowId, FlowFact.Event, It.Is<FlowFact>(f => f.Version == version), It.IsAny<CancellationToken>()), times);

    private void VerifyRead(Times times) =>
        _durable.Verify(d => d.GetInstanceAsync(FlowId, It.IsAny<bool>(), It.IsAny<CancellationToken>()), times);

    private static OrchestrationMetadata Pending(FlowFact startedWith) => new("JobFlow", FlowId)
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Pending,
        SerializedInput = JsonSerializer.Serialize(new FlowStart(startedWith), LifecycleJson.Options),
    };

    private void VerifyStarted(Times times) =>
        _durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync("JobFlow", It.IsAny<FlowStart>(), It.IsAny<StartOrchestrationOptions>(), It.IsAny<CancellationToken>()), times);

    /// <summary>A flow's custom status that shows it has heard <paramref name="version"/> of job a.</summary>
    private static string Heard(int version) =>
        JsonSerializer.Serialize(new FlowStatus(false, null, new Dictionary<string, HeardView> { ["job|a"] = new(version, null, true, null) }), LifecycleJson.Options);

    private static EffectEnvelope Step() => new("job:a:1:0", "job.call", "job", "a", JsonSerializer.SerializeToElement(new { }));

    private static string Message(FlowFact fact) =>
        JsonSerializer.Serialize(fact.ToOutbox(0).Envelope, LifecycleJson.Options);

    private static FlowFact Read(string message) =>
        FlowDelivery.Read(JsonSerializer.Deserialize<EffectEnvelope>(message, LifecycleJson.Options)!);

    [Fact]
    public async Task A_fact_for_a_flow_not_yet_run_comes_back_later_each_time_up_to_eight_seconds()
    {
        FlowIs(OrchestrationRuntimeStatus.Pending);
        var message = Message(new FlowFact("job", "a", 3, null, false, []));

        for (var i = 0; i < 5; i++)
        {
            await Deliver(message);
            message = _sent[^1].Text;
        }

        Assert.Equal([1, 2, 4, 8, 8], _sent.Select(s => s.Delay.TotalSeconds));
        Assert.Equal([1, 2, 3, 4, 5], _sent.Select(s => Read(s.Text).Held));
        Assert.All(_sent, s => Assert.Equal(3, Read(s.Text).Version));
        _durable.Verify(d => d.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_fact_held_before_is_raised_as_it_was_once_its_flow_has_run()
    {
        FlowIs(OrchestrationRuntimeStatus.Running);
        var fact = new FlowFact("job", "a", 3, null, false, [], Held: 2);

        await Deliver(Message(fact));

        _durable.Verify(d => d.RaiseEventAsync(FlowId, FlowFact.Event, It.Is<FlowFact>(f => f.Key == fact.Key && f.Version == 3), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task A_fact_for_a_flow_seen_running_is_raised_without_reading_the_flow()
    {
        FlowIs(OrchestrationRuntimeStatus.Running);

        await Deliver(Message(new FlowFact("job", "a", 3, null, false, [])));
        await Deliver(Message(new FlowFact("job", "a", 4, null, false, [])));

        VerifyRead(Times.Once());
        VerifyRaised(3, Times.Once());
        VerifyRaised(4, Times.Once());
    }

    [Fact]
    public async Task A_fact_whose_start_the_flow_runs_is_not_held()
    {
        var fact = new FlowFact("job", "a", 1, null, false, []);
        _durable.SetupSequence(d => d.GetInstanceAsync(FlowId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null)
            .ReturnsAsync(Pending(startedWith: fact));

        await Deliver(Message(fact));

        VerifyStarted(Times.Once());
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task A_fact_whose_start_lost_to_another_facts_start_is_held_and_raised_once_the_flow_has_run()
    {
        // Both found no flow and both started it: the flow's row names the other start, which is the one that runs.
        _durable.SetupSequence(d => d.GetInstanceAsync(FlowId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null)
            .ReturnsAsync(Pending(startedWith: new FlowFact("job", "b", 1, null, false, [])));
        await Deliver(Message(new FlowFact("job", "a", 1, null, false, [])));

        _durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync("JobFlow", It.Is<FlowStart>(s => s.Fact.Version == 1), It.IsAny<StartOrchestrationOptions>(), It.IsAny<CancellationToken>()), Times.Once);
        var held = Assert.Single(_sent);
        Assert.Equal((1, 1, TimeSpan.FromSeconds(1)), (Read(held.Text).Version, Read(held.Text).Held, held.Delay));

        FlowIs(OrchestrationRuntimeStatus.Running);
        await Deliver(held.Text);

        VerifyRaised(1, Times.Once());
    }

    [Fact]
    public async Task A_fact_its_flow_shows_it_has_heard_is_not_raised_again_unless_it_carries_steps()
    {
        FlowIs(OrchestrationRuntimeStatus.Running, Heard(version: 1));

        await Deliver(Message(new FlowFact("job", "a", 1, null, false, [])));
        VerifyRaised(1, Times.Never());

        // A flow that read the instance's state heard its version, not its steps: a fact with steps is raised.
        await Deliver(Message(new FlowFact("job", "a", 1, null, false, [Step()])));
        VerifyRaised(1, Times.Once());
    }

    [Fact]
    public async Task A_fact_its_finished_flow_heard_does_not_start_it_again()
    {
        // The fact that started the flow comes back after the flow has heard a later version and ended.
        FlowIs(OrchestrationRuntimeStatus.Completed, Heard(version: 2));

        await Deliver(Message(new FlowFact("job", "a", 1, null, false, [], Held: 1)));
        await Deliver(Message(new FlowFact("job", "a", 2, null, false, [])));

        VerifyStarted(Times.Never());
        VerifyRaised(1, Times.Never());
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task A_finished_flow_starts_again_for_news_it_did_not_hear_or_a_fact_with_steps()
    {
        FlowIs(OrchestrationRuntimeStatus.Completed, Heard(version: 2));

        await Deliver(Message(new FlowFact("job", "a", 3, null, false, [])));
        await Deliver(Message(new FlowFact("job", "b", 1, null, false, [])));
        await Deliver(Message(new FlowFact("job", "a", 2, null, false, [Step()])));

        VerifyStarted(Times.Exactly(3));
        Assert.Equal(3, _sent.Count);
    }

    [Fact]
    public async Task A_flow_seen_running_that_has_finished_since_is_read_and_a_flow_started_with_the_fact()
    {
        FlowIs(OrchestrationRuntimeStatus.Running);
        await Deliver(Message(new FlowFact("job", "a", 3, null, false, [])));
        _durable.Setup(d => d.RaiseEventAsync(FlowId, FlowFact.Event, It.Is<FlowFact>(f => f.Version == 4), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("Cannot raise event fact because instance is in Completed state"));
        FlowIs(OrchestrationRuntimeStatus.Completed);

        await Deliver(Message(new FlowFact("job", "a", 4, null, false, [])));

        // Read when first seen, when the raise is refused, and after the start to see it took.
        VerifyRead(Times.Exactly(3));
        _durable.Verify(d => d.ScheduleNewOrchestrationInstanceAsync("JobFlow", It.Is<FlowStart>(s => s.Fact.Version == 4), It.IsAny<StartOrchestrationOptions>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_flow_seen_running_is_read_again_once_it_is_old_enough_to_have_been_purged()
    {
        FlowIs(OrchestrationRuntimeStatus.Running);
        await Deliver(Message(new FlowFact("job", "a", 3, null, false, [])));

        _clock.Advance(FlowsKnownRunning.Trusted);
        await Deliver(Message(new FlowFact("job", "a", 4, null, false, [])));

        VerifyRead(Times.Exactly(2));
        VerifyRaised(4, Times.Once());
    }

    [Fact]
    public void The_trust_in_a_flow_seen_running_ends_before_the_shortest_retention_could_purge_it()
    {
        var shortest = new FlowOptions { RetainFor = TimeSpan.FromHours(1) };
        Assert.Empty(shortest.Problems());
        Assert.NotEmpty(new FlowOptions { RetainFor = shortest.RetainFor - TimeSpan.FromMinutes(1) }.Problems());
        Assert.True(FlowsKnownRunning.Trusted < shortest.RetainFor);
    }

    [Fact]
    public async Task Before_the_flows_function_has_run_here_a_fact_takes_the_queue()
    {
        FlowIs(OrchestrationRuntimeStatus.Running);

        Assert.False(await HandOff().TryAsync(new FlowFact("job", "a", 3, null, false, []).ToOutbox(0).Envelope, default));

        VerifyRead(Times.Never());
        VerifyRaised(3, Times.Never());
    }

    [Fact]
    public async Task Once_the_flows_function_has_offered_its_client_a_fact_is_handed_to_its_flow_without_the_queue()
    {
        FlowIs(OrchestrationRuntimeStatus.Running);
        var handOff = HandOff();
        handOff.Offer(_durable.Object);

        Assert.True(await handOff.TryAsync(new FlowFact("job", "a", 3, null, false, []).ToOutbox(0).Envelope, default));

        VerifyRaised(3, Times.Once());
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task A_fact_handed_to_a_flow_not_yet_run_is_held_on_the_queue()
    {
        FlowIs(OrchestrationRuntimeStatus.Pending);
        var handOff = HandOff();
        handOff.Offer(_durable.Object);

        Assert.True(await handOff.TryAsync(new FlowFact("job", "a", 3, null, false, []).ToOutbox(0).Envelope, default));

        var (text, delay) = Assert.Single(_sent);
        Assert.Equal(TimeSpan.FromSeconds(1), delay);
        Assert.Equal(1, Read(text).Held);
        VerifyRaised(3, Times.Never());
    }

    [Fact]
    public async Task A_hand_off_the_engine_fails_leaves_the_fact_to_the_queue()
    {
        _durable.Setup(d => d.GetInstanceAsync(FlowId, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("the engine did not answer"));
        var handOff = HandOff();
        handOff.Offer(_durable.Object);

        Assert.False(await handOff.TryAsync(new FlowFact("job", "a", 3, null, false, []).ToOutbox(0).Envelope, default));

        Assert.Empty(_sent);
    }
}
