using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Atlas.Testing.Sample;
using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Lifecycles;

/// <summary>The outbox rows a commit's relay has sent, on Azurite: deleted in the instance's next commit, or by the
/// scan before it looks for overdue relays, and never lost to a row that went first.</summary>
public sealed class RelayedOutboxTests
{
    private static readonly TimeSpan OpenFor = TimeSpan.FromMinutes(5);

    // No cleanup timer: relayed rows wait for the next commit or the scan, so each test sees one order of calls.
    private static readonly Dictionary<string, string?> NoCleanupTimer = new()
    {
        ["Lifecycles:RelayCleanupDelay"] = Timeout.InfiniteTimeSpan.ToString(),
    };

    [Fact]
    public async Task A_relayed_outbox_is_deleted_in_the_batch_of_the_instances_next_commit()
    {
        var calls = new Faults();
        await using var runtime = await TestRuntime.StartAsync(configure: FaultInjection.With(calls), settings: NoCleanupTimer);
        await SendAsync(runtime, "a", new OpenJob("Crate", OpenFor));
        var relayed = await OutboxRowsAsync(runtime, "a");

        await SendAsync(runtime, "a", new AddWork("request-1", 5));

        Assert.Equal(2, relayed.Count); // the announcement and the flow's fact, sent and waiting
        var commit = Assert.Single(calls.Trace, c => c.StartsWith($"table batch {LifecycleKeys.Table} [Replace {LifecycleKeys.StateRow}", StringComparison.Ordinal));
        Assert.All(relayed, row => Assert.Contains($"Delete {row}", commit, StringComparison.Ordinal));
        Assert.DoesNotContain(calls.Trace, c => c.StartsWith($"table Delete {LifecycleKeys.Table}/", StringComparison.Ordinal));
        Assert.Empty((await OutboxRowsAsync(runtime, "a")).Intersect(relayed));
    }

    [Fact]
    public async Task The_scan_deletes_what_was_relayed_first_and_sends_none_of_it_again()
    {
        await using var runtime = await TestRuntime.StartAsync(settings: NoCleanupTimer);
        await SendAsync(runtime, "a", new OpenJob("Crate", OpenFor));

        runtime.Clock.Advance(RelayGrace(runtime));
        await runtime.Services.GetRequiredService<RelayScan>().RunOnceAsync(default);

        Assert.Empty(await OutboxRowsAsync(runtime, "a"));
        Assert.Equal(1, await runtime.Services.GetRequiredService<IQueueClient>().ApproximateCountAsync(EffectRoutes.DefaultQueue, default));
        Assert.Empty(await runtime.Services.GetRequiredService<RelayIndex>().ListDueAsync(runtime.Clock.GetUtcNow().AddYears(1), default));
    }

    [Fact]
    public async Task A_commit_whose_relayed_rows_another_process_deleted_first_still_commits()
    {
        var calls = new Faults();
        await using var first = await TestRuntime.StartAsync(configure: FaultInjection.With(calls), settings: NoCleanupTimer);
        await SendAsync(first, "a", new OpenJob("Crate", OpenFor));
        var relayed = await OutboxRowsAsync(first, "a");

        // Another process's scan finds the commit's relay row overdue: it sends the rows again and deletes them.
        await using (var second = await TestRuntime.StartAsync(first.Prefix, first.Clock, settings: NoCleanupTimer))
        {
            first.Clock.Advance(RelayGrace(first));
            await second.Services.GetRequiredService<RelayScan>().RunOnceAsync(default);
        }

        var added = await SendAsync(first, "a", new AddWork("request-1", 5));

        Assert.Equal(CommandStatus.Applied, added.Status);
        Assert.Equal(2, added.Version);
        var commits = calls.Trace.Where(c => c.StartsWith($"table Replace {LifecycleKeys.Table}/{LifecycleKeys.StateRow}", StringComparison.Ordinal)
            || c.StartsWith($"table batch {LifecycleKeys.Table} [Replace", StringComparison.Ordinal)).ToList();
        Assert.True(commits.Count == 2, string.Join("\n", calls.Trace)); // refused for a row gone already, then made without the deletes
        Assert.All(relayed, row => Assert.Contains($"Delete {row}", commits[0], StringComparison.Ordinal));
        Assert.DoesNotContain("Delete", commits[1], StringComparison.Ordinal);
        Assert.Equal(5, Assert.IsType<Open>((await first.Jobs.GetAsync("a", default)).State).Total);
    }

    private static async Task<CommandResult<JobState>> SendAsync(TestRuntime runtime, string id, JobCommand command)
    {
        var result = await runtime.Jobs.ExecuteAsync(id, command, default);
        await runtime.RelaysQuietAsync();
        return result;
    }

    /// <summary>The outbox rows in storage, as they are (not as the ops view shows them).</summary>
    private static async Task<IReadOnlyList<string>> OutboxRowsAsync(TestRuntime runtime, string id) =>
        [.. (await runtime.Services.GetRequiredService<InstanceStore>().ReadOutboxAsync(JobDecider.Name, id, default)).Select(r => r.RowKey)];

    private static TimeSpan RelayGrace(TestRuntime runtime) =>
        runtime.Services.GetRequiredService<IOptions<LifecycleOptions>>().Value.RelayGrace;
}
