using Atlas.Functions.Lifecycles;
using Atlas.Testing;
using Atlas.Testing.Sample;
using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Atlas.Tests.Lifecycles;

/// <summary>The state rows a process keeps to save reads: what it wrote, and what it read.</summary>
public sealed class StateCacheTests
{
    private static readonly string StateRead = $"table get {LifecycleKeys.Table}/{LifecycleKeys.StateRow}";

    [Fact]
    public async Task A_command_after_a_read_of_the_instance_decides_on_what_was_read_without_reading_again()
    {
        await using var first = await TestRuntime.StartAsync();
        await first.Jobs.ExecuteAsync("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);
        await first.RelaysQuietAsync();

        // Another process, which has not written the instance: a read first, as a bid reads the driver's duty.
        var calls = new Faults();
        await using var second = await TestRuntime.StartAsync(first.Prefix, first.Clock, configure: FaultInjection.With(calls));
        var (read, version) = await second.Jobs.GetAsync("a", default);
        var added = await second.Jobs.ExecuteAsync("a", new AddWork("request-1", 5), default);

        Assert.IsType<Open>(read);
        Assert.Equal((CommandStatus.Applied, version + 1), (added.Status, added.Version));
        Assert.Single(calls.Trace, c => c == StateRead);
    }

    [Fact]
    public async Task A_command_after_a_read_that_found_no_instance_inserts_without_reading_again()
    {
        var calls = new Faults();
        await using var runtime = await TestRuntime.StartAsync(configure: FaultInjection.With(calls));

        var (before, version) = await runtime.Jobs.GetAsync("a", default);
        var again = await runtime.Jobs.GetAsync("a", default, cachedIsEnough: true);
        var opened = await runtime.Jobs.ExecuteAsync("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);

        Assert.Equal((typeof(NotStarted), 0L), (before.GetType(), version));
        Assert.Equal((typeof(NotStarted), 0L), (again.State.GetType(), again.Version));
        Assert.Equal((CommandStatus.Applied, 1L), (opened.Status, opened.Version));
        Assert.Single(calls.Trace, c => c == StateRead);
    }

    [Fact]
    public async Task A_command_after_a_read_that_found_no_instance_decides_on_the_instance_another_process_made_since()
    {
        await using var first = await TestRuntime.StartAsync();
        await using var second = await TestRuntime.StartAsync(first.Prefix, first.Clock);
        await second.Jobs.GetAsync("a", default);
        await first.Jobs.ExecuteAsync("a", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);

        // Decided on no instance, the insert finds the row: read, and decided again on what is there.
        var opened = await second.Jobs.ExecuteAsync("a", new OpenJob("Box", TimeSpan.FromMinutes(5)), default);

        Assert.Equal((CommandStatus.Unchanged, 1L), (opened.Status, opened.Version));
        Assert.Equal("Crate", Assert.IsType<Open>(opened.State).Title);
    }

    [Fact]
    public void A_read_that_lost_a_race_with_a_commit_does_not_put_back_the_state_before_it()
    {
        var cache = new StateCache(Options.Create(new LifecycleOptions()));
        cache.Set("p", new StoredState("{}", 2, null, null, "etag-2"));

        cache.Offer("p", new StoredState("{}", 1, null, null, "etag-1"));
        var kept = cache.Get("p");
        cache.Offer("p", null);
        var notAbsent = cache.KnownAbsent("p");
        cache.Offer("p", new StoredState("{}", 3, null, null, "etag-3"));

        Assert.Equal("etag-2", kept?.ETag);
        Assert.False(notAbsent);
        Assert.Equal("etag-3", cache.Get("p")?.ETag);
    }
}
