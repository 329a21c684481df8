using Azure.Data.Tables;
using Atlas.Testing;
using Microsoft.DurableTask.Client;

namespace Atlas.Benchmarks;

public sealed partial class RideBench
{
    /// <summary>
    /// For a run whose journeys did not settle: each journey still running, its history as the task hub holds it, and
    /// the rows of the instances it follows (their state and outbox rows, and the relay rows that name them), read
    /// straight from Azurite; then the task hub's partition leases and its queues' lengths. What a drain that timed out
    /// cannot say: whether a fact was never relayed, was raised and not heard, or waits hidden in a control queue.
    /// </summary>
    public async Task DescribeUnsettledAsync(TextWriter to)
    {
        var tables = new TableServiceClient(Azurite.ConnectionString);
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending], FetchInputsAndOutputs = true };
        await foreach (var flow in _durable.GetAllInstancesAsync(query))
        {
            // The input names the news that started it: a second start that raced the first would show there.
            await to.WriteLineAsync($"  {flow.InstanceId}: {flow.RuntimeStatus}, created {flow.CreatedAt:O}, updated {flow.LastUpdatedAt:O}, status {flow.SerializedCustomStatus}, input {Clip(flow.SerializedInput)}");
            await foreach (var e in tables.GetTableClient($"atlas{_bench.Prefix}History").QueryAsync<TableEntity>(e => e.PartitionKey == flow.InstanceId))
            {
                await to.WriteLineAsync($"    history {e.RowKey} {e.GetString("EventType")} {e.GetString("Name")} {e.Timestamp:O} {Clip(e.GetString("Input") ?? e.GetString("Result"))}");
            }

            var key = flow.InstanceId[(flow.InstanceId.IndexOf('-', StringComparison.Ordinal) + 1)..];
            foreach (var table in new[] { "Lifecycles", "LifecycleRelays" })
            {
                await foreach (var row in tables.GetTableClient(_bench.Prefix + table).QueryAsync<TableEntity>())
                {
                    var text = string.Join(", ", row.Select(p => $"{p.Key}={p.Value}"));
                    if (text.Contains(key, StringComparison.Ordinal) && !text.Contains("|driver|", StringComparison.Ordinal))
                    {
                        await to.WriteLineAsync($"    {table} {Clip(text, 600)}");
                    }
                }
            }
        }

        // Whose the partitions' leases are, and what the control queues hold (invisible messages included): a lease
        // lost and taken again hides the messages its partition had taken for the control queue's visibility timeout.
        await foreach (var lease in tables.GetTableClient($"atlas{_bench.Prefix}Partitions").QueryAsync<TableEntity>())
        {
            await to.WriteLineAsync($"  lease {Clip(string.Join(", ", lease.Select(p => $"{p.Key}={p.Value}")), 600)}");
        }

        // The task hub's queues and the app's, a poison queue's messages shown.
        var queues = new Azure.Storage.Queues.QueueServiceClient(Azurite.ConnectionString);
        foreach (var prefix in new[] { $"atlas{_bench.Prefix}", _bench.Prefix })
        {
            await foreach (var queue in queues.GetQueuesAsync(prefix: prefix.ToLowerInvariant()))
            {
                var client = queues.GetQueueClient(queue.Name);
                var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
                await to.WriteLineAsync($"  queue {queue.Name}: {count} messages");
                if (count > 0 && queue.Name.EndsWith("-poison", StringComparison.Ordinal))
                {
                    foreach (var message in (await client.PeekMessagesAsync(10)).Value)
                    {
                        await to.WriteLineAsync($"    {Clip(message.Body.ToString(), 600)}");
                    }
                }
            }
        }

        static string Clip(string? text, int length = 300) => text is null ? "" : text.Length <= length ? text : text[..length] + "…";
    }
}
