using System.Collections.Concurrent;

namespace Atlas.Functions.Notifications;

/// <summary>
/// The development SMS sender: keeps the messages in memory, once per idempotency key, so a developer (and the
/// tests) can read sign-in codes from GET /api/dev/sms. Never registered outside Development unless asked for.
/// </summary>
public sealed class SmsRecorder(TimeProvider clock) : ISmsSender
{
    private readonly ConcurrentDictionary<string, RecordedSms> _byKey = new(StringComparer.Ordinal);
    private long _sequence;

    public Task SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct)
    {
        _byKey.GetOrAdd(idempotencyKey, _ => new RecordedSms(
            message.To, message.Body, clock.GetUtcNow(), Interlocked.Increment(ref _sequence)));
        return Task.CompletedTask;
    }

    /// <summary>The messages sent to a phone, newest first.</summary>
    public IReadOnlyList<RecordedSms> SentTo(string phone) =>
        _byKey.Values.Where(m => m.To == phone).OrderByDescending(m => m.Sequence).ToList();
}

public sealed record RecordedSms(string To, string Body, DateTimeOffset SentAt, long Sequence);
