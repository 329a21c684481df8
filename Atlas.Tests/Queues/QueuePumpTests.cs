using Atlas.Functions.Queues;
using Atlas.Testing;

namespace Atlas.Tests.Queues;

/// <summary>The test runtime's queue pump (the runtime tests' trigger) keeps the host's rules: success deletes,
/// failure retries, five failures poison.</summary>
public sealed class QueuePumpTests : IAsyncLifetime
{
    private const string Queue = "effects";
    private TestRuntime _runtime = null!;

    public async Task InitializeAsync() =>
        _runtime = await TestRuntime.StartAsync(settings: new Dictionary<string, string?> { ["Queues:RetryDelay"] = "00:00:00" });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    private IQueueClient Queues => _runtime.Services.GetRequiredService<IQueueClient>();

    private QueuePump Pump => _runtime.Services.GetRequiredService<QueuePump>();

    [Fact]
    public async Task A_handled_message_is_deleted()
    {
        await Queues.SendAsync(Queue, "fine", TimeSpan.Zero, default);
        var seen = new List<string>();

        await Pump.RunOnceAsync(Queue, (m, _) =>
        {
            seen.Add(m.Text);
            return Task.CompletedTask;
        }, default);

        Assert.Equal(["fine"], seen);
        Assert.Equal(0, await Queues.ApproximateCountAsync(Queue, default));
    }

    [Fact]
    public async Task A_failing_message_is_retried_and_after_five_failures_moves_to_the_poison_queue()
    {
        await Queues.SendAsync(Queue, "broken", TimeSpan.Zero, default);
        var attempts = 0;

        for (var round = 0; round < 7; round++)
        {
            await Pump.RunOnceAsync(Queue, (_, _) =>
            {
                attempts++;
                throw new InvalidOperationException("cannot handle this");
            }, default);
        }

        Assert.Equal(5, attempts);
        Assert.Equal(0, await Queues.ApproximateCountAsync(Queue, default));
        var poisoned = Assert.Single(await Queues.ReceiveAsync(QueueNames.Poison(Queue), 32, TimeSpan.FromSeconds(30), default));
        Assert.Equal("broken", poisoned.Text);
    }

    [Fact]
    public async Task A_message_whose_handlers_kept_dying_is_poisoned_without_running_again()
    {
        await Queues.SendAsync(Queue, "killer", TimeSpan.Zero, default);
        for (var i = 0; i < 5; i++)
        {
            // A process took it and died each time: the lease ran out without an outcome.
            var taken = Assert.Single(await Queues.ReceiveAsync(Queue, 1, TimeSpan.FromSeconds(30), default));
            await Queues.UpdateVisibilityAsync(Queue, taken, TimeSpan.Zero, default);
        }

        var ran = false;
        await Pump.RunOnceAsync(Queue, (_, _) =>
        {
            ran = true;
            return Task.CompletedTask;
        }, default);

        Assert.False(ran);
        Assert.Equal(1, await Queues.ApproximateCountAsync(QueueNames.Poison(Queue), default));
    }
}
