using System.Collections.Concurrent;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Benchmarks;

/// <summary>Counts storage calls by kind, to say what one operation of the app costs Azurite.</summary>
public sealed class CallCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Reset() => _counts.Clear();

    public long Total => _counts.Values.Sum();

    public string PerOperation(long operations) =>
        string.Join(", ", _counts.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {(double)p.Value / operations:F2}"))
        + $" = {_counts.Values.Sum() / (double)operations:F1} calls";

    public sealed class Tables(ITableStore inner, CallCounts counts) : ITableStore
    {
        /// <summary>The store uncounted: for what the benchmark reads itself (which deadlines are due), not the app.</summary>
        public ITableStore Inner => inner;

        public Task CreateTableIfNotExistsAsync(string table, CancellationToken ct) => inner.CreateTableIfNotExistsAsync(table, ct);

        public Task<TableRow?> GetAsync(string table, string pk, string rk, CancellationToken ct)
        {
            // Which lifecycle's states are read says which reads the state cache misses.
            counts.Add(table.EndsWith("Lifecycles", StringComparison.Ordinal) ? $"get {table} ({pk.Split('|')[0]})" : $"get {table}");
            return inner.GetAsync(table, pk, rk, ct);
        }

        public Task<TableWrite> WriteAsync(string table, TableOperation operation, CancellationToken ct)
        {
            counts.Add($"{operation.Kind.ToString().ToLowerInvariant()} {table}");
            return inner.WriteAsync(table, operation, ct);
        }

        public Task<TableWrite> ExecuteBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct)
        {
            counts.Add($"batch {table}");
            return inner.ExecuteBatchAsync(table, operations, ct);
        }

        public Task<TablePage> QueryPartitionAsync(string table, string pk, string? prefix, string? continuation, int take, CancellationToken ct)
        {
            counts.Add($"query {table}");
            return inner.QueryPartitionAsync(table, pk, prefix, continuation, take, ct);
        }

        public Task<IReadOnlyList<TableRow>> QueryPageAsync(string table, string pk, string prefix, string? after, int take, CancellationToken ct)
        {
            counts.Add($"query {table}");
            return inner.QueryPageAsync(table, pk, prefix, after, take, ct);
        }

        public Task<TablePage> QueryPartitionsUpToAsync(string table, string maxPk, string? rkBelow, string? continuation, int take, CancellationToken ct)
        {
            counts.Add($"scan {table}");
            return inner.QueryPartitionsUpToAsync(table, maxPk, rkBelow, continuation, take, ct);
        }

        public Task<TablePage> QueryOlderThanAsync(string table, string? prefix, string property, DateTimeOffset before, string? continuation, int take, CancellationToken ct)
        {
            counts.Add($"scan {table}");
            return inner.QueryOlderThanAsync(table, prefix, property, before, continuation, take, ct);
        }
    }

    public sealed class Queues(IQueueClient inner, CallCounts counts) : IQueueClient
    {
        public Task CreateIfNotExistsAsync(string queue, CancellationToken ct) => inner.CreateIfNotExistsAsync(queue, ct);

        public Task SendAsync(string queue, string text, TimeSpan initialDelay, CancellationToken ct)
        {
            counts.Add($"put {queue}");
            return inner.SendAsync(queue, text, initialDelay, ct);
        }

        public Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queue, int max, TimeSpan visibilityTimeout, CancellationToken ct)
        {
            counts.Add($"receive {queue}");
            return inner.ReceiveAsync(queue, max, visibilityTimeout, ct);
        }

        public Task<bool> DeleteAsync(string queue, QueueMessage message, CancellationToken ct)
        {
            counts.Add($"delete {queue}");
            return inner.DeleteAsync(queue, message, ct);
        }

        public Task<string?> UpdateVisibilityAsync(string queue, QueueMessage message, TimeSpan visibilityTimeout, CancellationToken ct)
        {
            counts.Add($"visibility {queue}");
            return inner.UpdateVisibilityAsync(queue, message, visibilityTimeout, ct);
        }

        public Task<int> ApproximateCountAsync(string queue, CancellationToken ct) => inner.ApproximateCountAsync(queue, ct);

        public Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int max, CancellationToken ct) => inner.PeekAsync(queue, max, ct);
    }
}
