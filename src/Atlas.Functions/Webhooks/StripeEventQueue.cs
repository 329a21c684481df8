using System.Text;
using System.Text.Json;
using Atlas.Functions.Queues;

namespace Atlas.Functions.Webhooks;

/// <summary>
/// Puts received Stripe events on the queue, several to a message when they arrive together (a group commit): while
/// one queue write is in flight, the events that arrive meanwhile wait and go out together in the next. A caller's
/// task completes only once its event is on the queue, so a 2xx still means "stored"; alone, an event is written at
/// once. A message is a JSON array of events, or of event ids for events too big to carry.
/// </summary>
public sealed class StripeEventQueue(IQueueClient queues)
{
    public const string Queue = "stripe-events";

    /// <summary>Queue messages are 64 KiB once base64-encoded.</summary>
    public const int MaxMessage = 45_000;

    private readonly Lock _gate = new();
    private readonly List<(string Item, TaskCompletionSource Stored)> _waiting = [];
    private bool _writing;

    /// <summary>Completes when the event (its JSON, as received) is on the queue.</summary>
    public Task EnqueueAsync(string eventId, string json)
    {
        var item = json.Length < MaxMessage - 2 ? json : JsonSerializer.Serialize(eventId);
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool write;
        lock (_gate)
        {
            _waiting.Add((item, stored));
            write = !_writing;
            _writing = true;
        }

        if (write)
        {
            _ = WriteWhileWaitingAsync();
        }

        return stored.Task;
    }

    /// <summary>The events of a message: each event's JSON, or the id of one to fetch from Stripe.</summary>
    public static IEnumerable<(string? Json, string? Id)> Read(string message)
    {
        using var items = JsonDocument.Parse(message);
        foreach (var item in items.RootElement.EnumerateArray())
        {
            yield return item.ValueKind == JsonValueKind.String ? (null, item.GetString()) : (item.GetRawText(), null);
        }
    }

    private async Task WriteWhileWaitingAsync()
    {
        while (true)
        {
            List<(string Item, TaskCompletionSource Stored)> batch = [];
            lock (_gate)
            {
                var size = 2;
                while (_waiting.Count > 0 && (batch.Count == 0 || size + _waiting[0].Item.Length + 1 <= MaxMessage))
                {
                    size += _waiting[0].Item.Length + 1;
                    batch.Add(_waiting[0]);
                    _waiting.RemoveAt(0);
                }

                if (batch.Count == 0)
                {
                    _writing = false;
                    return;
                }
            }

            try
            {
                var message = new StringBuilder("[").AppendJoin(',', batch.Select(b => b.Item)).Append(']').ToString();
                await queues.SendAsync(Queue, message, TimeSpan.Zero, CancellationToken.None);
                batch.ForEach(b => b.Stored.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(b => b.Stored.TrySetException(e));
            }
        }
    }
}
