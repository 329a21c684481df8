using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Benchmarks;

/// <summary>What each kind of storage call costs on this Azurite: calls per second, 32 in flight.</summary>
public static class StorageBench
{
    public static async Task RunAsync(IServiceProvider services, TimeSpan duration, Action<string, double, string> report)
    {
        var tables = services.GetRequiredService<ITableStore>();
        var queues = services.GetRequiredService<IQueueClient>();
        const string table = "BenchRows";
        const string queue = "bench";
        await tables.CreateTableIfNotExistsAsync(table, default);
        await queues.CreateIfNotExistsAsync(queue, default);
        await queues.CreateIfNotExistsAsync("short", default);

        static TableRow Row(int i, string suffix = "") =>
            new($"p{i % 1000}", $"r{i}{suffix}", new Dictionary<string, object?> { ["State"] = new string('x', 300), ["Version"] = 1L });

        report("table insert (single entity)/s", await Measure.ThroughputAsync(32, duration, i =>
            tables.WriteAsync(table, TableOperation.Insert(Row(i)), default)), "");
        var cpu = CpuTime.Now();
        var upserts = await Measure.ThroughputAsync(32, duration, i =>
            tables.WriteAsync(table, TableOperation.Upsert(Row(i % 5000, "u")), default));
        report("table upsert (single entity)/s", upserts, "");
        Console.WriteLine($"  CPU per table upsert (Azure.Data.Tables): {cpu.Since().PerOperation((long)(upserts * duration.TotalSeconds))}");
        report("table batch of 1/s", await Measure.ThroughputAsync(32, duration, i =>
            tables.ExecuteBatchAsync(table, [TableOperation.Upsert(Row(i % 5000, "b"))], default)), "");
        report("table batch of 2/s", await Measure.ThroughputAsync(32, duration, i =>
            tables.ExecuteBatchAsync(table, [TableOperation.Upsert(Row(i % 5000, "c")), TableOperation.Upsert(Row(i % 5000, "d"))], default)), "");
        report("table get/s", await Measure.ThroughputAsync(32, duration, i =>
            tables.GetAsync(table, $"p{i % 1000}", $"r{i % 5000}u", default)), "");
        report("table delete/s", await Measure.ThroughputAsync(32, duration, i =>
            tables.WriteAsync(table, TableOperation.Delete($"p{i % 1000}", $"r{i}"), default)), "");
        cpu = CpuTime.Now();
        var puts = await Measure.ThroughputAsync(32, duration, _ =>
            queues.SendAsync(queue, "{\"bench\":true}", TimeSpan.Zero, default));
        report("queue put/s", puts, "");
        Console.WriteLine($"  CPU per queue put (Azure.Storage.Queues): {cpu.Since().PerOperation((long)(puts * duration.TotalSeconds))}");
        report("queue put, get, delete on a short queue, messages/s", await Measure.ThroughputAsync(4, duration, async _ =>
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => queues.SendAsync("short", "{}", TimeSpan.Zero, default)));
            var messages = await queues.ReceiveAsync("short", 16, TimeSpan.FromMinutes(1), default);
            await Task.WhenAll(messages.Select(m => queues.DeleteAsync("short", m, default)));
        }) * 16, "");
    }
}
