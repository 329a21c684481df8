using System.Collections.Concurrent;

namespace Atlas.Functions.Notifications;

/// <summary>The development push sender: keeps notices in memory, once per idempotency key, readable at
/// GET /api/dev/push?userId= in Development (and by tests).</summary>
public sealed class PushRecorder(TimeProvider clock) : IPushSender
{
    private readonly ConcurrentDictionary<string, RecordedPush> _byKey = new(StringComparer.Ordinal);
    private long _sequence;

    public Task SendAsync(PushMessage message, string idempotencyKey, CancellationToken ct)
    {
        _byKey.GetOrAdd(idempotencyKey, _ => new RecordedPush(message, clock.GetUtcNow(), Interlocked.Increment(ref _sequence)));
        return Task.CompletedTask;
    }

    /// <summary>The notices sent to a user, newest first.</summary>
    public IReadOnlyList<RecordedPush> SentTo(string userId) =>
        _byKey.Values.Where(p => p.Message.UserId == userId).OrderByDescending(p => p.Sequence).ToList();
}

public sealed record RecordedPush(PushMessage Message, DateTimeOffset SentAt, long Sequence);
