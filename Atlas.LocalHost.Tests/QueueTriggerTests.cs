using Atlas.LocalHost.Tests.Infrastructure;
using Azure.Storage.Queues;

namespace Atlas.LocalHost.Tests;

[Collection(HostCollection.Name)]
public sealed class QueueTriggerTests(HostFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_message_is_handled_with_its_trigger_metadata_and_deleted()
    {
        var queue = fixture.Queue(fixture.WorkQueue);
        var text = $"hello {Guid.NewGuid():N}";

        var sent = await queue.SendMessageAsync(text);

        var handled = await fixture.Log.WaitForAsync(line => line.Contains($"Handled '{text}'", StringComparison.Ordinal), Deadline);
        Assert.Contains($"Id={sent.Value.MessageId}, DequeueCount=1", handled.Single(), StringComparison.Ordinal);

        // The count includes invisible messages, so zero means deleted rather than merely in flight.
        await Eventually.GetAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? "deleted" : null, Deadline, "the message to be deleted");
    }

    [Fact]
    public async Task A_failing_message_is_retried_up_to_max_dequeue_count_then_moved_to_the_poison_queue()
    {
        var queue = fixture.Queue(fixture.WorkQueue);
        var poison = fixture.Queue($"{fixture.WorkQueue}-poison");
        var text = $"please fail {Guid.NewGuid():N}";

        await queue.SendMessageAsync(text);

        var poisoned = await Eventually.GetAsync(() => FindAsync(poison, text), Deadline, "the message in the poison queue");
        Assert.Equal(text, poisoned);

        // host.json: maxDequeueCount 3, so exactly three attempts ran, numbered 1 to 3.
        var attempts = fixture.Log.Lines.Where(line => line.Contains("Executed 'Functions.Work' (Failed", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All([1, 2, 3], attempt => Assert.Contains(attempts, line => line.Contains($"(attempt {attempt})", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_that_is_not_base64_goes_straight_to_the_poison_queue()
    {
        var raw = fixture.Queue(fixture.WorkQueue, QueueMessageEncoding.None);
        var poison = fixture.Queue($"{fixture.WorkQueue}-poison");
        var text = $"not base64 {Guid.NewGuid():N}!";

        await raw.SendMessageAsync(text);

        var poisoned = await Eventually.GetAsync(() => FindAsync(poison, text), Deadline, "the undecodable message in the poison queue");
        Assert.Equal(text, poisoned);
        Assert.DoesNotContain(fixture.Log.Lines, line => line.Contains($"Handled '{text}'", StringComparison.Ordinal));
    }

    private static async Task<string?> FindAsync(QueueClient queue, string text)
    {
        if (!(await queue.ExistsAsync()).Value)
        {
            return null;
        }

        var messages = (await queue.PeekMessagesAsync(32)).Value;
        return messages.Select(message => message.Body.ToString()).FirstOrDefault(body => body == text);
    }
}
