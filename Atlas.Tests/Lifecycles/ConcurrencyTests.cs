using Atlas.Functions.Lifecycles;
using Atlas.Testing;
using Atlas.Testing.Sample;

namespace Atlas.Tests.Lifecycles;

/// <summary>Many commands to one instance at once: every one applies, in some order, none lost.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Fifty_concurrent_commands_to_one_instance_all_apply()
    {
        await using var runtime = await TestRuntime.StartAsync();
        await runtime.Jobs.ExecuteAsync("busy", new OpenJob("Busy", TimeSpan.FromMinutes(5)), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => runtime.Jobs.ExecuteAsync("busy", new AddWork($"r{i}", 1), default))));

        Assert.All(results, r => Assert.Equal(CommandStatus.Applied, r.Status));
        var (state, version) = await runtime.Jobs.GetAsync("busy", default);
        Assert.Equal(50, Assert.IsType<Open>(state).Total);
        Assert.Equal(51, version);
        Assert.Equal(Enumerable.Range(2, 50).Select(v => (long)v), results.Select(r => r.Version).Order());
    }

    [Fact]
    public async Task Fifty_concurrent_commands_from_two_processes_all_apply_through_etag_retries()
    {
        await using var first = await TestRuntime.StartAsync();
        await using var second = await TestRuntime.StartAsync(first.Prefix, first.Clock);
        await first.Jobs.ExecuteAsync("shared", new OpenJob("Shared", TimeSpan.FromMinutes(5)), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).Jobs.ExecuteAsync("shared", new AddWork($"r{i}", 1), default))));

        Assert.All(results, r => Assert.Equal(CommandStatus.Applied, r.Status));
        var (state, version) = await first.Jobs.GetAsync("shared", default);
        var open = Assert.IsType<Open>(state);
        Assert.Equal(50, open.Total);
        Assert.Equal(50, open.AppliedRequests.Count);
        Assert.Equal(51, version);
    }

    [Fact]
    public async Task Two_timer_scans_racing_over_the_same_due_timer_close_the_job_once()
    {
        await using var first = await TestRuntime.StartAsync();
        await using var second = await TestRuntime.StartAsync(first.Prefix, first.Clock);
        await first.Jobs.ExecuteAsync("race", new OpenJob("Race", TimeSpan.FromMinutes(5)), default);
        first.Clock.Advance(TimeSpan.FromMinutes(5));

        await Task.WhenAll(Task.Run(first.ScanAsync), Task.Run(second.ScanAsync));
        await first.DrainAsync();

        var (state, version) = await first.Jobs.GetAsync("race", default);
        Assert.IsType<Closed>(state);
        Assert.Equal(2, version); // opened, closed (the opening's announcement came back after the close)
        Assert.Equal(["job:race:1:0", "job:race:2:0"], await first.Announcer.AppliedAsync());
    }
}
