using Atlas.Functions.Queues;
using Atlas.Functions.Webhooks;

namespace Atlas.Tests.Payments;

/// <summary>The webhook's group commit: events that arrive while a queue write is in flight share the next message,
/// and each caller returns only once its event is on the queue.</summary>
public sealed class StripeEventQueueTests
{
    [Fact]
    public async Task Events_arriving_during_a_write_go_out_together_and_each_waits_for_its_own()
    {
        var queue = new GatedQueue();
        var events = new StripeEventQueue(queue);

        var first = events.EnqueueAsync("evt_1", """{"id":"evt_1"}""");
        await queue.Started.Task;
        var rest = Enumerable.Range(2, 4).Select(i => events.EnqueueAsync($"evt_{i}", $$"""{"id":"evt_{{i}}"}""")).ToList();
        Assert.False(first.IsCompleted);
        Assert.All(rest, t => Assert.False(t.IsCompleted));

        queue.Open();
        await Task.WhenAll([first, .. rest]);

        Assert.Equal(2, queue.Sent.Count);
        Assert.Equal(["evt_1"], Ids(queue.Sent[0]));
        Assert.Equal(["evt_2", "evt_3", "evt_4", "evt_5"], Ids(queue.Sent[1]));
    }

    [Fact]
    public async Task An_event_too_big_for_a_message_travels_as_its_id()
    {
        var queue = new GatedQueue();
        queue.Open();
        var big = $$"""{"id":"evt_big","pad":"{{new string('x', StripeEventQueue.MaxMessage)}}"}""";

        await new StripeEventQueue(queue).EnqueueAsync("evt_big", big);

        Assert.Equal(new StripeEventItem(null, "evt_big"), StripeEventQueue.Read(Assert.Single(queue.Sent)).Events.Single());
    }

    [Fact]
    public async Task A_failed_write_fails_every_caller_in_it()
    {
        var queue = new GatedQueue { Fail = true };
        queue.Open();

        await Assert.ThrowsAsync<IOException>(() => new StripeEventQueue(queue).EnqueueAsync("evt_1", """{"id":"evt_1"}"""));
    }

    private static string[] Ids(string message) =>
        [.. StripeEventQueue.Read(message).Events.Select(e => System.Text.Json.JsonDocument.Parse(e.Json!).RootElement.GetProperty("id").GetString()!)];

    /// <summary>A queue whose writes wait at a gate, to hold one in flight.</summary>
    private sealed class GatedQueue : IQueueClient
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Sent { get; } = [];

        public bool Fail { get; init; }

        public void Open() => _open.TrySetResult();

        public async Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await _open.Task;
            if (Fail)
            {
                throw new IOException("The queue is down.");
            }

            lock (Sent)
            {
                Sent.Add(text);
            }
        }

        public Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int max, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> UpdateVisibilityAsync(string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int max, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
