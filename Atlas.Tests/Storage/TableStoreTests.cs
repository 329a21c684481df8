using Atlas.Functions.Storage;
using Atlas.Testing;

namespace Atlas.Tests.Storage;

/// <summary>The table adapter against Azurite: the operations the runtime relies on, and the outcomes it maps.</summary>
public sealed class TableStoreTests : IAsyncLifetime
{
    private const string Table = "Things";
    private readonly AzureTableStore _store = new(StorageClients.Tables(Azurite.ConnectionString), Azurite.NewPrefix());

    public Task InitializeAsync() => _store.CreateTableIfNotExistsAsync(Table, default);

    public Task DisposeAsync() => Task.CompletedTask;

    private static TableRow Row(string pk, string rk, string value = "v") =>
        new(pk, rk, new Dictionary<string, object?> { ["Value"] = value, ["Count"] = 3L, ["At"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) });

    [Fact]
    public async Task An_inserted_row_reads_back_with_its_properties_and_an_etag()
    {
        var write = await _store.WriteAsync(Table, TableOperation.Insert(Row("p", "r")), default);

        var row = await _store.GetAsync(Table, "p", "r", default);

        Assert.Equal(TableWriteStatus.Ok, write.Status);
        Assert.NotNull(row);
        Assert.Equal("v", row.GetString("Value"));
        Assert.Equal(3L, row.GetLong("Count"));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), row.GetTime("At"));
        Assert.False(string.IsNullOrEmpty(row.ETag));
    }

    [Fact]
    public async Task A_missing_row_reads_as_null()
    {
        Assert.Null(await _store.GetAsync(Table, "p", "nothing-here", default));
    }

    [Fact]
    public async Task Inserting_an_existing_row_is_a_conflict_not_an_exception()
    {
        await _store.WriteAsync(Table, TableOperation.Insert(Row("p", "twice")), default);

        var second = await _store.WriteAsync(Table, TableOperation.Insert(Row("p", "twice")), default);

        Assert.Equal(TableWriteStatus.Conflict, second.Status);
    }

    [Fact]
    public async Task A_replace_with_a_stale_etag_is_a_precondition_failure_and_changes_nothing()
    {
        await _store.WriteAsync(Table, TableOperation.Insert(Row("p", "guarded", "first")), default);
        var read = (await _store.GetAsync(Table, "p", "guarded", default))!;
        var winner = await _store.WriteAsync(Table, TableOperation.Replace(Row("p", "guarded", "winner"), read.ETag!), default);

        var loser = await _store.WriteAsync(Table, TableOperation.Replace(Row("p", "guarded", "loser"), read.ETag!), default);

        Assert.Equal(TableWriteStatus.Ok, winner.Status);
        Assert.Equal(TableWriteStatus.PreconditionFailed, loser.Status);
        Assert.Equal("winner", (await _store.GetAsync(Table, "p", "guarded", default))!.GetString("Value"));
    }

    [Fact]
    public async Task A_merge_keeps_the_properties_it_does_not_name_and_is_guarded_by_the_etag()
    {
        await _store.WriteAsync(Table, TableOperation.Insert(Row("p", "merged", "first")), default);
        var read = (await _store.GetAsync(Table, "p", "merged", default))!;
        var change = new TableRow("p", "merged", new Dictionary<string, object?> { ["Value"] = "second" });

        var merged = await _store.WriteAsync(Table, TableOperation.Merge(change, read.ETag!), default);
        var stale = await _store.WriteAsync(Table, TableOperation.Merge(change, read.ETag!), default);

        var row = (await _store.GetAsync(Table, "p", "merged", default))!;
        Assert.Equal(TableWriteStatus.Ok, merged.Status);
        Assert.Equal(TableWriteStatus.PreconditionFailed, stale.Status);
        Assert.Equal("second", row.GetString("Value"));
        Assert.Equal(3L, row.GetLong("Count"));
    }

    [Fact]
    public async Task Deleting_a_missing_row_is_not_found()
    {
        var delete = await _store.WriteAsync(Table, TableOperation.Delete("p", "never"), default);

        Assert.Equal(TableWriteStatus.NotFound, delete.Status);
    }

    [Fact]
    public async Task A_batch_applies_all_its_operations_together()
    {
        var batch = await _store.ExecuteBatchAsync(
            Table, [TableOperation.Insert(Row("batch", "a")), TableOperation.Insert(Row("batch", "b"))], default);

        Assert.Equal(TableWriteStatus.Ok, batch.Status);
        Assert.NotNull(await _store.GetAsync(Table, "batch", "a", default));
        Assert.NotNull(await _store.GetAsync(Table, "batch", "b", default));
    }

    [Fact]
    public async Task A_batch_with_one_stale_operation_applies_none_of_them()
    {
        await _store.WriteAsync(Table, TableOperation.Insert(Row("atomic", "state", "old")), default);

        var batch = await _store.ExecuteBatchAsync(
            Table,
            [TableOperation.Replace(Row("atomic", "state", "new"), "W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\""), TableOperation.Insert(Row("atomic", "outbox"))],
            default);

        Assert.Equal(TableWriteStatus.PreconditionFailed, batch.Status);
        Assert.Equal(0, batch.FailedOperation);
        Assert.Equal("old", (await _store.GetAsync(Table, "atomic", "state", default))!.GetString("Value"));
        Assert.Null(await _store.GetAsync(Table, "atomic", "outbox", default));
    }

    [Fact]
    public async Task The_adapter_refuses_a_batch_across_partitions_that_Azurite_would_accept()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.ExecuteBatchAsync(
            Table, [TableOperation.Insert(Row("one", "a")), TableOperation.Insert(Row("two", "a"))], default));

        Assert.Contains("one partition", error.Message);
        Assert.Null(await _store.GetAsync(Table, "one", "a", default));
    }

    [Fact]
    public async Task A_partition_query_pages_with_a_continuation_and_filters_by_prefix()
    {
        await _store.ExecuteBatchAsync(
            Table,
            Enumerable.Range(0, 7).Select(i => TableOperation.Insert(Row("paged", $"item-{i}"))).Append(TableOperation.Insert(Row("paged", "other"))).ToList(),
            default);

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await _store.QueryPartitionAsync(Table, "paged", "item-", continuation, 3, default);
            seen.AddRange(page.Rows.Select(r => r.RowKey));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"item-{i}"), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_query_up_to_a_partition_key_returns_that_partition_and_those_before_it_only()
    {
        foreach (var pk in new[] { "202611211200", "202611211201", "202611211202" })
        {
            await _store.WriteAsync(Table, TableOperation.Insert(Row(pk, "x")), default);
        }

        var page = await _store.QueryPartitionsUpToAsync(Table, "202611211201", null, null, 1000, default);

        Assert.Equal(["202611211200", "202611211201"], page.Rows.Select(r => r.PartitionKey).Where(k => k.StartsWith("2026", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_query_up_to_a_partition_key_can_stop_below_a_row_key()
    {
        foreach (var rk in new[] { "100|a", "200|b", "300|c" })
        {
            await _store.WriteAsync(Table, TableOperation.Insert(Row("000000000001", rk)), default);
        }

        var page = await _store.QueryPartitionsUpToAsync(Table, "000000000001", "201", null, 1000, default);

        Assert.Equal(["100|a", "200|b"], page.Rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_failed_batch_says_which_operation_failed()
    {
        await _store.WriteAsync(Table, TableOperation.Insert(Row("which", "taken")), default);

        var batch = await _store.ExecuteBatchAsync(
            Table, [TableOperation.Insert(Row("which", "free")), TableOperation.Insert(Row("which", "taken")), TableOperation.Insert(Row("which", "also-free"))], default);

        Assert.Equal(TableWriteStatus.Conflict, batch.Status);
        Assert.Equal(1, batch.FailedOperation);
        Assert.Null(await _store.GetAsync(Table, "which", "free", default));
    }

    [Fact]
    public async Task Every_property_type_the_runtime_stores_reads_back_as_the_same_type()
    {
        var bytes = new byte[] { 1, 2, 3, 255 };
        var id = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 11, 27, 6, 30, 0, 123, TimeSpan.Zero);
        await _store.WriteAsync(Table, TableOperation.Insert(new TableRow("types", "all", new Dictionary<string, object?>
        {
            ["Text"] = "ünïcode",
            ["Long"] = long.MaxValue,
            ["Int"] = 42,
            ["Bool"] = true,
            ["Double"] = 2.5,
            ["Whole"] = 4.0,
            ["At"] = at,
            ["Id"] = id,
            ["Bytes"] = bytes,
            ["Missing"] = null,
        })), default);

        var row = (await _store.GetAsync(Table, "types", "all", default))!;

        Assert.Equal("ünïcode", row.GetString("Text"));
        Assert.Equal(long.MaxValue, row.GetLong("Long"));
        Assert.Equal(42, row.Properties["Int"]);
        Assert.Equal(true, row.Properties["Bool"]);
        Assert.Equal(2.5, row.GetDouble("Double"));
        Assert.Equal(4.0, row.GetDouble("Whole"));
        Assert.Equal(at, row.GetTime("At"));
        Assert.Equal(id, row.Properties["Id"]);
        Assert.Equal(bytes, row.Properties["Bytes"]);
        Assert.False(row.Properties.ContainsKey("Missing"));
        Assert.False(row.Properties.ContainsKey("Timestamp"));
    }

    [Fact]
    public async Task A_range_page_starts_after_its_cursor_and_stops_at_the_prefix_end()
    {
        await _store.ExecuteBatchAsync(
            Table,
            new[] { "a|1", "a|2", "a|3", "a|4", "b|1" }.Select(rk => TableOperation.Insert(Row("range", rk))).ToList(),
            default);

        var first = await _store.QueryPageAsync(Table, "range", "a|", null, 2, default);
        var rest = await _store.QueryPageAsync(Table, "range", "a|", first[^1].RowKey, 10, default);

        Assert.Equal(["a|1", "a|2"], first.Select(r => r.RowKey));
        Assert.Equal(["a|3", "a|4"], rest.Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_key_with_quotes_is_queried_as_a_value_not_as_filter_syntax()
    {
        await _store.WriteAsync(Table, TableOperation.Insert(Row("o'brien", "x")), default);
        await _store.WriteAsync(Table, TableOperation.Insert(Row("other", "x")), default);

        var page = await _store.QueryPartitionAsync(Table, "o'brien", null, null, 10, default);

        Assert.Equal("o'brien", Assert.Single(page.Rows).PartitionKey);
    }
}
