using Atlas.Testing;
using Atlas.Testing.Sample;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Lifecycles;

/// <summary>What the runtime logs about an instance carries the instance in its scope, so one search finds a ride's story.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task A_commands_log_entries_carry_the_lifecycle_and_instance_id_in_scope()
    {
        var logs = new CapturedLogs();
        await using var runtime = await StartWithLogsAsync(logs);

        await runtime.Jobs.ExecuteAsync("logged-7", new AddWork("r1", 1), default);

        var entry = Assert.Single(logs.Entries, e => e.Message.Contains("rejected", StringComparison.Ordinal));
        Assert.Equal("job", entry.Scope["Lifecycle"]);
        Assert.Equal("logged-7", entry.Scope["InstanceId"]);
        Assert.Contains("job-not-open", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_effects_log_entries_carry_its_effect_id_in_scope()
    {
        var logs = new CapturedLogs();
        await using var runtime = await StartWithLogsAsync(logs);
        await runtime.Jobs.ExecuteAsync("logged-8", new OpenJob("Crate", TimeSpan.FromMinutes(5)), default);

        await runtime.PumpAsync();

        Assert.Contains(logs.Entries, e => Equals(e.Scope.GetValueOrDefault("EffectId"), "job:logged-8:1:0") && e.Message.Contains("fed back", StringComparison.Ordinal));
    }

    private static Task<TestRuntime> StartWithLogsAsync(CapturedLogs logs) => TestRuntime.StartAsync(
        configure: services => services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)),
        settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" });
}
