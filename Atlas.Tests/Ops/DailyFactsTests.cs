using Atlas.Functions.Ops;
using Atlas.Functions.Storage;
using Atlas.Testing;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Ops;

/// <summary>The ops overview's facts on Azurite: facts of one day committed together share a batch, and a fact
/// committed twice is one row.</summary>
public sealed class DailyFactsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Deadline = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly AzureTableStore _store = new(StorageClients.Tables(Azurite.ConnectionString), Azurite.NewPrefix());
    private readonly Faults _calls = new();
    private readonly DailyFacts _facts;

    public DailyFactsTests() => _facts = new DailyFacts(new FaultyTableStore(_store, _calls));

    public Task InitializeAsync() => _store.CreateTableIfNotExistsAsync(DailyFacts.Table, default);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Facts_that_come_while_one_is_written_share_the_next_batch()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            _facts.DeadlineFiredAsync("job", $"j{i}", Deadline, TimeSpan.FromMilliseconds(i), default)));

        var day = await _facts.ReadDayAsync(DailyFacts.Day(Deadline), default);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i).Order(), day["lag"].Select(f => f.Amount).Order());
        Assert.True(_calls.Trace.Count < 40, string.Join("\n", _calls.Trace));
    }

    [Fact]
    public async Task A_fact_committed_twice_at_once_is_one_row()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            _facts.DeadlineFiredAsync("job", "j1", Deadline, TimeSpan.FromSeconds(2), default)));

        var day = await _facts.ReadDayAsync(DailyFacts.Day(Deadline), default);
        Assert.Equal([2000L], day["lag"].Select(f => f.Amount));
    }
}
