using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Atlas.LocalHost.Durable;

/// <summary>What the engine has done since the host started: orchestrator episodes and activity runs handed to the
/// worker, orchestrations finished (completed, failed or terminated by their code; not continued as new), and the
/// storage calls the Azure Storage provider made, by kind (to say where an engine's time goes).</summary>
public sealed record DurableActivitySnapshot(long Episodes, long Activities, long Finished, IReadOnlyDictionary<string, long> StorageCalls)
{
    public long TotalStorageCalls => StorageCalls.Values.Sum();
}

/// <summary>The counters behind <see cref="DurableActivitySnapshot"/>; the storage calls counted by a pipeline policy
/// on the provider's blob, queue and table clients.</summary>
internal sealed partial class DurableActivity
{
    private readonly ConcurrentDictionary<string, long> _calls = new();
    private long _episodes;
    private long _activities;
    private long _finished;

    public void Episode() => Interlocked.Increment(ref _episodes);

    public void ActivityRun() => Interlocked.Increment(ref _activities);

    public void OrchestrationFinished() => Interlocked.Increment(ref _finished);

    public DurableActivitySnapshot Snapshot() =>
        new(Interlocked.Read(ref _episodes), Interlocked.Read(ref _activities), Interlocked.Read(ref _finished), new Dictionary<string, long>(_calls));

    public HttpPipelinePolicy CounterFor(string taskHub, string service) => new Counter(this, taskHub, service);

    // "queue GET control/messages", "table POST History", "blob PUT leases": the task hub's name and the
    // partition numbers taken out, so kinds add up across partitions.
    private string KindOf(string taskHub, string service, Request request)
    {
        var path = request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        var resource = string.Join('/', path.Take(2))
            .Replace(taskHub, string.Empty, StringComparison.OrdinalIgnoreCase)
            .TrimStart('-');
        var kind = $"{service} {request.Method} {Digits().Replace(resource, string.Empty).Replace("-/", "/", StringComparison.Ordinal).TrimEnd('-')}";

        // A listing of instances (by status, by creation time: a client's query, not the engine's read of one
        // instance by its id, which names the partition) is a kind of its own.
        var query = Uri.UnescapeDataString(request.Uri.Query);
        return query.Contains("$filter", StringComparison.Ordinal) && !query.Contains("PartitionKey", StringComparison.Ordinal) ? kind + " (query)" : kind;
    }

    [GeneratedRegex(@"\d+|\(.*?\)|'.*?'")]
    private static partial Regex Digits();

    private sealed class Counter(DurableActivity owner, string taskHub, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            owner._calls.AddOrUpdate(owner.KindOf(taskHub, service, message.Request), 1, (_, n) => n + 1);
    }
}
