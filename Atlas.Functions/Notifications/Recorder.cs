using System.Collections.Concurrent;

namespace Atlas.Functions.Notifications;

/// <summary>
/// What a development sender "sent": kept in memory, once per idempotency key (so a redelivered effect shows
/// once), newest first. Development inboxes and tests read it; nothing leaves the process.
/// </summary>
public abstract class Recorder<TMessage>(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Recorded<TMessage>> _byKey = new(StringComparer.Ordinal);
    private long _sequence;

    protected Task RecordAsync(TMessage message, string idempotencyKey)
    {
        _byKey.GetOrAdd(idempotencyKey, _ => new Recorded<TMessage>(message, clock.GetUtcNow(), Interlocked.Increment(ref _sequence)));
        return Task.CompletedTask;
    }

    /// <summary>How many messages were sent, each idempotency key once.</summary>
    public int Count => _byKey.Count;

    protected IReadOnlyList<Recorded<TMessage>> Where(Func<TMessage, bool> to) =>
        _byKey.Values.Where(r => to(r.Message)).OrderByDescending(r => r.Sequence).ToList();
}

public sealed record Recorded<TMessage>(TMessage Message, DateTimeOffset SentAt, long Sequence);

/// <summary>The development SMS sender; texts are read at GET /api/dev/sms?phone= in Development.</summary>
public sealed class SmsRecorder(TimeProvider clock) : Recorder<SmsMessage>(clock), ISmsSender
{
    public Task SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct) => RecordAsync(message, idempotencyKey);

    /// <summary>The texts sent to a phone, newest first.</summary>
    public IReadOnlyList<Recorded<SmsMessage>> SentTo(string phone) => Where(m => m.To == phone);
}

/// <summary>The development email sender; mail is read at GET /api/dev/email?to= in Development.</summary>
public sealed class EmailRecorder(TimeProvider clock) : Recorder<EmailMessage>(clock), IEmailSender
{
    public Task SendAsync(EmailMessage message, string idempotencyKey, CancellationToken ct) => RecordAsync(message, idempotencyKey);

    /// <summary>The mail sent to an address, newest first.</summary>
    public IReadOnlyList<Recorded<EmailMessage>> SentTo(string email) => Where(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The development push sender; notices are read at GET /api/dev/push?userId= in Development.</summary>
public sealed class PushRecorder(TimeProvider clock) : Recorder<PushMessage>(clock), IPushSender
{
    public Task SendAsync(PushMessage message, string idempotencyKey, CancellationToken ct) => RecordAsync(message, idempotencyKey);

    /// <summary>The notices sent to a user, newest first.</summary>
    public IReadOnlyList<Recorded<PushMessage>> SentTo(string userId) => Where(m => m.UserId == userId);
}
