using System.Text.Json;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace Atlas.Tests.Lifecycles;

/// <summary>The <c>Flows</c> function's side of a fact whose flow has not run yet: it comes back, each time later.</summary>
public sealed class FlowDeliveryTests
{
    private const string FlowId = "flow-a";

    private readonly Mock<DurableTaskClient> _durable = new("test");
    private readonly Mock<IQueueClient> _queues = new();
    private readonly List<(string Text, TimeSpan Delay)> _sent = [];
    private readonly FlowRoutes _routes = new([new FlowRoute("job", "JobFlow", _ => FlowId, _ => false, _ => [], _ => null)]);

    public FlowDeliveryTests()
    {
        _queues.Setup(q => q.SendAsync(FlowFact.Queue, It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string text, TimeSpan delay, CancellationToken _) => _sent.Add((text, delay)))
            .Returns(Task.CompletedTask);
    }

    private void FlowIs(OrchestrationRuntimeStatus status) =>
        _durable.Setup(d => d.GetInstanceAsync(FlowId, false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("JobFlow", FlowId) { RuntimeStatus = status });

    private Task Deliver(string message) =>
        FlowDelivery.RunAsync(message, _durable.Object, _routes, _queues.Object, Mock.Of<IServiceProvider>(), default);

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
}
