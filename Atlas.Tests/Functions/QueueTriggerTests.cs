using Atlas.Functions.Functions;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Webhooks;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Functions;

/// <summary>Atlas's queue functions under the local host's queue trigger: every queue something is sent to has a
/// function, and a message no function can handle ends in the poison queue after host.json's maxDequeueCount.</summary>
public sealed class QueueTriggerTests
{
    [Fact]
    public async Task Every_queue_effects_or_webhooks_are_sent_to_has_a_queue_function()
    {
        await using var app = new AtlasAppFactory();
        var sentTo = app.Services.GetRequiredService<EffectRoutes>().Queues.Append(StripeEventQueue.Queue).ToHashSet();

        var served = FunctionIndex.App.Queues.Select(f => QueueNames.Unprefixed(f.Queue)).ToHashSet();

        Assert.Subset(served, sentTo);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_runs_max_dequeue_count_times_then_lands_in_the_poison_queue()
    {
        // Failed messages come back at once rather than after host.json's five seconds.
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
        });
        var queues = app.Services.GetRequiredService<IQueueClient>();
        await queues.SendAsync("notifications", "not an effect envelope", TimeSpan.Zero, default);

        for (var round = 0; round < 8; round++)
        {
            await app.PumpAsync();
        }

        Assert.Equal(5, CountLines(app.HostLog, "Executed 'Functions.Notifications' (Failed"));
        Assert.Equal(0, await queues.ApproximateCountAsync("notifications", default));
        var poisoned = Assert.Single(await queues.ReceiveAsync(QueueNames.Poison("notifications"), 32, TimeSpan.FromSeconds(30), default));
        Assert.Equal("not an effect envelope", poisoned.Text);
    }

    private static int CountLines(string log, string text) =>
        log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
}
