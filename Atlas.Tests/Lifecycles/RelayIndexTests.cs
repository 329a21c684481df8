using Atlas.Functions.Lifecycles;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Lifecycles;

/// <summary>The relay index on Azurite: its rows go out in batches per bucket, and a batch refused does not cost a
/// commit its row.</summary>
public sealed class RelayIndexTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Due = new(2026, 12, 6, 20, 0, 5, TimeSpan.Zero);
    private readonly Faults _calls = new();
    private readonly AzureTableStore _store = new(StorageClients.Tables(Azurite.ConnectionString), Azurite.NewPrefix());
    private readonly RelayIndex _index;

    public RelayIndexTests()
    {
        // No cleanup timer: a finished row goes only with the next batch or a flush, so the calls come in one order.
        var options = Options.Create(new LifecycleOptions { RelayCleanupDelay = Timeout.InfiniteTimeSpan });
        _index = new RelayIndex(new FaultyTableStore(_store, _calls), options, NullLogger<RelayIndex>.Instance);
    }

    public Task InitializeAsync() => _store.CreateTableIfNotExistsAsync(RelayIndex.Table, default);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task A_finished_row_is_deleted_in_one_batch_with_the_next_commits_row()
    {
        var first = await _index.ScheduleAsync("job", "a", 1, Due, default);
        _index.Finished(first);

        var second = await _index.ScheduleAsync("job", "b", 1, Due, default);

        Assert.Equal(
            [$"table Upsert {RelayIndex.Table}/{first.RowKey}", $"table batch {RelayIndex.Table} [Delete {first.RowKey}, Upsert {second.RowKey}]"],
            _calls.Trace);
        Assert.Equal([second.RowKey], (await _index.ListDueAsync(Due, default)).Select(e => e.RowKey));
    }

    [Fact]
    public async Task Two_commits_of_one_instance_have_rows_of_their_own()
    {
        var first = await _index.ScheduleAsync("job", "a", 1, Due, default);
        var second = await _index.ScheduleAsync("job", "a", 2, Due, default);

        _index.Finished(first);

        // The first commit's relay is done, the second's is not: its row stays for the scan.
        Assert.Equal([second.RowKey], (await _index.ListDueAsync(Due, default)).Select(e => e.RowKey));
    }

    [Fact]
    public async Task Rows_that_come_while_a_batch_is_written_share_the_next()
    {
        var rows = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _index.ScheduleAsync("job", $"j{i}", 1, Due, default)));

        Assert.Equal(rows.Select(r => r.RowKey).Order(), (await _index.ListDueAsync(Due, default)).Select(e => e.RowKey).Order());
        Assert.True(_calls.Trace.Count(c => !c.StartsWith("table scan", StringComparison.Ordinal)) < 40, string.Join("\n", _calls.Trace));
    }

    [Fact]
    public async Task A_batch_refused_because_the_scan_deleted_a_row_first_still_writes_the_commits_row()
    {
        var first = await _index.ScheduleAsync("job", "a", 1, Due, default);
        var scanned = Assert.Single(await _index.ListDueAsync(Due, default));
        await _index.CompleteAsync(scanned, default);
        _index.Finished(first);

        var second = await _index.ScheduleAsync("job", "b", 1, Due, default);

        Assert.Equal([second.RowKey], (await _index.ListDueAsync(Due, default)).Select(e => e.RowKey));
        Assert.Contains($"table batch {RelayIndex.Table} [Delete {first.RowKey}, Upsert {second.RowKey}]", _calls.Trace);
    }

    [Fact]
    public async Task Listing_what_is_due_first_deletes_the_rows_this_process_has_finished_with()
    {
        var first = await _index.ScheduleAsync("job", "a", 1, Due, default);
        _index.Finished(first);

        Assert.Empty(await _index.ListDueAsync(Due, default));
        Assert.Null(await _store.GetAsync(RelayIndex.Table, first.Bucket, first.RowKey, default));
    }
}
