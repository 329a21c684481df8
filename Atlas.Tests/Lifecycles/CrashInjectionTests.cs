using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Testing;
using Atlas.Testing.Sample;
using Atlas.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Atlas.Tests.Lifecycles;

/// <summary>
/// Kills the process at every storage and queue call of a whole lifecycle — from the first load of the instance
/// to the deletion of the last queue message, before the call and after it — restarts it, and checks that
/// nothing was lost or done twice: every transition applied exactly once, the timer fired, every effect
/// delivered at least once and applied once by its idempotent receiver, and nothing left pending. The deadline is
/// armed through the outbox and fired by the flow's activity (<see cref="ManualFlows"/> stands in for the engine
/// here; the engine's own restarts are Atlas.LocalHost.Tests' DurableRestartTests).
/// </summary>
public sealed class CrashInjectionTests(ITestOutputHelper output)
{
    private const string JobId = "crate-1";
    private static readonly TimeSpan OpenFor = TimeSpan.FromMinutes(5);

    // What happens to the job: each step is what a client, a queue trigger or the timer trigger would do, and
    // each is retried after a crash the way they retry (the client re-sends, the triggers run again).
    private static readonly (string Name, Func<TestRuntime, Task> Run)[] Steps =
    [
        ("open the job", rt => rt.Jobs.ExecuteAsync(JobId, new OpenJob("Crate", OpenFor), default)),
        ("a few seconds pass; run the triggers", rt =>
        {
            // Past the relay grace, so the scan finishes a relay that a crash cut short.
            rt.Clock.Advance(rt.Services.GetRequiredService<IOptions<LifecycleOptions>>().Value.RelayGrace);
            return rt.DrainAsync();
        }),
        ("add work", rt => rt.Jobs.ExecuteAsync(JobId, new AddWork("request-1", 5), default)),
        ("let the deadline pass", rt =>
        {
            rt.Clock.Advance(OpenFor + TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        }),
        ("run the triggers", rt => rt.DrainAsync()),
    ];

    // Runtime settings that make each run's calls come in one order, so call N is the same step every run.
    private static readonly Dictionary<string, string?> Sequential = new()
    {
        ["Lifecycles:ScanConcurrency"] = "1",
        ["Queues:BatchSize"] = "1",
        ["Queues:RetryDelay"] = "00:00:00",
        ["Lifecycles:RelayCleanupDelay"] = Timeout.InfiniteTimeSpan.ToString(),
    };

    [Fact]
    public async Task Without_a_crash_the_job_runs_to_the_end()
    {
        var faults = new Faults();
        await using var runtime = await StartAsync(Azurite.NewPrefix(), new ManualClock(), faults, new DeliveryLog());

        foreach (var step in Steps)
        {
            await step.Run(runtime);
        }

        await AssertCompletedOnceAsync(runtime);
        Assert.False(faults.Crashed);
        output.WriteLine($"{faults.Trace.Count} storage and queue calls:\n  " + string.Join("\n  ", faults.Trace));
    }

    [Fact]
    public async Task A_crash_at_any_call_before_or_after_it_loses_nothing_and_repeats_nothing()
    {
        var calls = await CountCallsAsync();
        var crashPoints = Enumerable.Range(1, calls).SelectMany(call => new[] { (Call: call, After: false), (Call: call, After: true) }).ToList();
        var outcomes = new string[crashPoints.Count];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        // Each run is a process of its own over storage of its own (its prefix), so runs go side by side: mostly they
        // wait on Azurite, and one at a time they took a minute and a half.
        await Parallel.ForEachAsync(Enumerable.Range(0, crashPoints.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (call, after) = crashPoints[i];
            var where = $"crash {(after ? "after" : "before")} call {call}";
            try
            {
                outcomes[i] = await RunWithCrashAsync(call, after) is { } crashedAt ? $"{where}: {crashedAt}" : "";
            }
            catch (Exception e)
            {
                failures.Add($"{where}: {e.GetType().Name}: {e.Message}");
            }
        });

        foreach (var outcome in outcomes.Where(o => o is { Length: > 0 }))
        {
            output.WriteLine(outcome);
        }

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order()));
        Assert.Equal(2 * calls, outcomes.Count(o => o is { Length: > 0 }));
    }

    private static async Task<int> CountCallsAsync()
    {
        var faults = new Faults();
        await using var runtime = await StartAsync(Azurite.NewPrefix(), new ManualClock(), faults, new DeliveryLog());
        foreach (var step in Steps)
        {
            await step.Run(runtime);
        }

        return faults.Trace.Count;
    }

    /// <summary>Runs the steps with a crash armed at one call, restarts, finishes, and checks the outcome.
    /// Returns where the crash struck.</summary>
    private static async Task<string?> RunWithCrashAsync(int call, bool after)
    {
        var prefix = Azurite.NewPrefix();
        var clock = new ManualClock();
        var deliveries = new DeliveryLog();
        var faults = new Faults(call, after);
        var next = 0;
        string? crashedAt = null;

        await using (var doomed = await StartAsync(prefix, clock, faults, deliveries))
        {
            for (; next < Steps.Length; next++)
            {
                try
                {
                    await Steps[next].Run(doomed);
                }
                catch (Exception) when (faults.Crashed)
                {
                }

                if (faults.Crashed)
                {
                    crashedAt = $"{Steps[next].Name} at '{faults.Trace[^1]}'";
                    break;
                }
            }

            // The lease of whatever the dead process had taken off a queue runs out.
            await doomed.Services.GetRequiredService<FaultyQueueClient>().ExpireLeasesAsync();
        }

        // The restart: a new process over the same storage retries the step that died and carries on.
        await using var restarted = await StartAsync(prefix, clock, new Faults(), deliveries);
        for (; next < Steps.Length; next++)
        {
            await Steps[next].Run(restarted);
        }

        // Time passes: whatever relay the crash cut short is now the scan's to finish.
        clock.Advance(restarted.Services.GetRequiredService<IOptions<LifecycleOptions>>().Value.RelayGrace);
        await restarted.DrainAsync();
        await AssertCompletedOnceAsync(restarted);
        return crashedAt;
    }

    private static Task<TestRuntime> StartAsync(string prefix, ManualClock clock, Faults faults, DeliveryLog deliveries) =>
        TestRuntime.StartAsync(prefix, clock, FaultInjection.With(faults), Sequential, deliveries);

    private static async Task AssertCompletedOnceAsync(TestRuntime runtime)
    {
        // Every transition exactly once: opened, announced, work added once, closed by the timer.
        var (state, version) = await runtime.Jobs.GetAsync(JobId, default);
        var closed = Assert.IsType<Closed>(state);
        Assert.Equal(5, closed.Total);
        Assert.Equal(4, version);

        // Every effect applied once by its receiver, and delivered at least once.
        string[] effects = [$"job:{JobId}:1:0", $"job:{JobId}:4:0"];
        Assert.Equal(effects, await runtime.Announcer.AppliedAsync());
        Assert.All(effects, id => Assert.True(runtime.Deliveries.Count(id) >= 1, $"{id} was never delivered"));

        // Nothing left behind: no outbox, no relay row, no deadline armed, no message on any queue or poison queue.
        var view = await runtime.Jobs.ReadAsync(JobId, default);
        Assert.Empty(view!.Outbox);
        Assert.Null(view.Deadline);
        Assert.Empty(await runtime.Services.GetRequiredService<RelayIndex>().ListDueAsync(DateTimeOffset.MaxValue.AddYears(-1), default));
        Assert.Empty(await runtime.Services.GetRequiredService<ManualFlows>().ArmedAsync(default));
        var queues = runtime.Services.GetRequiredService<IQueueClient>();
        Assert.Equal(0, await queues.ApproximateCountAsync(EffectRoutes.DefaultQueue, default));
        Assert.Equal(0, await queues.ApproximateCountAsync(QueueNames.Poison(EffectRoutes.DefaultQueue), default));
    }
}
