using Atlas.Functions.Settlement;
using Atlas.Tests.Infrastructure;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Payments;

/// <summary>The daily purge removes finished orchestrations older than <c>Flows:RetainFor</c> and keeps younger ones.</summary>
public sealed class FlowRetentionTests
{
    [Fact]
    public async Task A_finished_settlement_run_is_kept_for_the_retention_period_then_purged()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?> { ["Flows:RetainFor"] = "30.00:00:00" });
        var report = await SettleAsync(app);
        var instanceId = SettlementFlow.InstanceId(report.GetProperty("period").GetString()!);
        await using var durable = app.App.Host.CreateDurableClient();
        Assert.NotNull(await durable.GetInstanceAsync(instanceId));

        // The engine stamps instances with the real time; the app's clock is moved relative to it.
        app.Clock.Advance(DateTimeOffset.UtcNow.AddDays(29) - app.Clock.GetUtcNow());
        await app.App.Host.FireTimerAsync("PurgeFlows");
        Assert.Contains("Executed 'Functions.PurgeFlows' (Succeeded", app.HostLog, StringComparison.Ordinal);
        Assert.NotNull(await durable.GetInstanceAsync(instanceId));

        app.Clock.Advance(TimeSpan.FromDays(2));
        await app.App.Host.FireTimerAsync("PurgeFlows");
        Assert.True(await durable.GetInstanceAsync(instanceId) is null, app.HostLog);
    }
}
