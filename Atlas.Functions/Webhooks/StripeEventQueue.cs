using System.Text;
using System.Text.Json;
using Atlas.Functions.Common;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Puts received Stripe events on the queue, several to a message when they arrive together (a group commit): while
/// one queue write is in flight, the events that arrive meanwhile wait and go out together in the next. A caller's
/// task completes only once its event is on the queue, so a 2xx still means "stored"; alone, an event is written at
/// once. A message is <c>{"attempt":n,"events":[…]}</c>: each event's JSON, or the id of one too big to carry, and
/// how often they have failed (a retried event travels alone, so one event's failures are never another's).
/// </summary>
public sealed class StripeEventQueue
{
    public const string Queue = "stripe-events";

    /// <summary>Queue messages are 64 KiB once base64-encoded.</summary>
    public const int MaxMessage = 45_000;

    /// <summary>Room for the envelope around the events: <c>{"attempt":n,"events":[…]}</c>.</summary>
    private const int Envelope = 32;

    private readonly IQueueClient _queues;
    private readonly GroupCommit<string> _writes;

    public StripeEventQueue(IQueueClient queues)
    {
        _queues = queues;
        _writes = new GroupCommit<string>(
            items => queues.SendAsync(Queue, Message(0, items), TimeSpan.Zero, CancellationToken.None),
            (items, next) => Envelope + items.Sum(i => i.Length + 1) + next.Length <= MaxMessage);
    }

    public static string PoisonQueue => QueueNames.Poison(Queue);

    /// <summary>Completes when the event (its JSON, as received) is on the queue.</summary>
    public Task EnqueueAsync(string eventId, string json) =>
        _writes.AddAsync(json.Length < MaxMessage - Envelope ? json : JsonSerializer.Serialize(eventId));

    /// <summary>Puts one event back on the queue on its own, to be tried again after <paramref name="delay"/>.</summary>
    public Task RetryAsync(StripeEventItem item, int attempt, TimeSpan delay, CancellationToken ct) =>
        _queues.SendAsync(Queue, Message(attempt, [item.Raw]), delay, ct);

    /// <summary>Puts a failed event back, by id, for an operator: the applier fetches it from Stripe afresh. It counts
    /// as tried once, so once applied it is marked so (<see cref="StripeEventLog.RecordAppliedAsync"/>).</summary>
    public Task ReplayAsync(string eventId, CancellationToken ct) =>
        _queues.SendAsync(Queue, Message(1, [JsonSerializer.Serialize(eventId)]), TimeSpan.Zero, ct);

    /// <summary>Moves one event that kept failing to the poison queue, where an operator finds it.</summary>
    public Task PoisonAsync(StripeEventItem item, int attempt, CancellationToken ct) =>
        _queues.SendAsync(PoisonQueue, Message(attempt, [item.Raw]), TimeSpan.Zero, ct);

    /// <summary>A message's events and how often they have failed. A bare array (the format before retries counted)
    /// is read as failed never.</summary>
    public static (int Attempt, IReadOnlyList<StripeEventItem> Events) Read(string message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        var (attempt, events) = root.ValueKind == JsonValueKind.Array
            ? (0, root)
            : (root.GetProperty("attempt").GetInt32(), root.GetProperty("events"));
        return (attempt, [.. events.EnumerateArray().Select(StripeEventItem.From)]);
    }

    private static string Message(int attempt, IEnumerable<string> items) =>
        new StringBuilder("{\"attempt\":").Append(attempt).Append(",\"events\":[").AppendJoin(',', items).Append("]}").ToString();
}

/// <summary>One event of a queue message: its JSON as received, or (for one too big to carry) its id.</summary>
public sealed record StripeEventItem(string? Json, string? Id)
{
    /// <summary>The item as it is written in a message.</summary>
    public string Raw => Json ?? JsonSerializer.Serialize(Id);

    public static StripeEventItem From(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? new(null, element.GetString()) : new(element.GetRawText(), null);
}
