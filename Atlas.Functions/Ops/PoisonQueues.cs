using Atlas.Functions.Functions;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Ops;

/// <summary>
/// The poison queues of the app's queue functions: where the Functions host (or the Stripe event applier) puts a
/// message that kept failing. An operator looks at them, puts a message back on its queue to be tried again (replay),
/// or deletes it (discard).
/// </summary>
public sealed class PoisonQueues(FunctionIndex functions, IQueueClient queues)
{
    public const int Shown = 32;

    /// <summary>How long the messages taken to find the one asked for stay hidden, at most: the others are made visible
    /// again at once.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(2);

    /// <summary>The queues that have a poison queue: those of the queue functions, by name.</summary>
    public IReadOnlyList<string> Queues { get; } =
        [.. functions.Queues.Select(f => QueueNames.Unprefixed(f.Queue)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public async Task<IReadOnlyList<PoisonQueueView>> ListAsync(CancellationToken ct) =>
        await Task.WhenAll(Queues.Select(async queue =>
        {
            var messages = await queues.PeekAsync(QueueNames.Poison(queue), Shown, ct);
            return new PoisonQueueView(queue, QueueNames.Poison(queue), [.. messages.Select(m => new PoisonedMessageView(m.Id, m.InsertedAt, m.DequeueCount, m.Text))]);
        }));

    /// <summary>Puts the message back on its queue, then deletes it from the poison queue; false if it is not there
    /// (already replayed or discarded). A crash between the two leaves it in both: the effects are idempotent, so a
    /// second replay applies nothing twice.</summary>
    public Task<bool> ReplayAsync(string queue, string messageId, CancellationToken ct) =>
        TakeAsync(queue, messageId, message => queues.SendAsync(queue, message.Text, TimeSpan.Zero, ct), ct);

    public Task<bool> DiscardAsync(string queue, string messageId, CancellationToken ct) =>
        TakeAsync(queue, messageId, _ => Task.CompletedTask, ct);

    private async Task<bool> TakeAsync(string queue, string messageId, Func<QueueMessage, Task> then, CancellationToken ct)
    {
        var poison = QueueNames.Poison(queue);
        if ((await queues.PeekAsync(poison, Shown, ct)).All(m => m.Id != messageId))
        {
            return false;
        }

        // Only a received message can be deleted: take the visible ones for a moment, keep the one asked for.
        var received = await queues.ReceiveAsync(poison, Shown, Hold, ct);
        await Task.WhenAll(received.Where(m => m.Id != messageId).Select(m => queues.UpdateVisibilityAsync(poison, m, TimeSpan.Zero, ct)));
        if (received.FirstOrDefault(m => m.Id == messageId) is not { } message)
        {
            return false;
        }

        await then(message);
        return await queues.DeleteAsync(poison, message, ct);
    }
}

public sealed record PoisonQueueView(string Queue, string PoisonQueue, IReadOnlyList<PoisonedMessageView> Messages);

public sealed record PoisonedMessageView(string Id, DateTimeOffset? InsertedAt, int DequeueCount, string Text);
