using System.Net;
using Atlas.Core.Settlement;
using Atlas.Functions.Bookings;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Payments;
using Atlas.Functions.Settlement;
using Atlas.Functions.Telemetry;
using Atlas.Testing.Fakes;
using Atlas.Tests.Infrastructure;
using Atlas.Tests.Notifications;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Atlas.Tests.Telemetry;

/// <summary>
/// The metrics infra/'s alerts read that no other test exports (docs/runbook.md): texts' final statuses from Twilio's
/// callbacks, counted once each; the lines a settlement run's reconciliation found at odds; and the failed and stuck
/// orchestrations the flow watch counts. Read from OpenTelemetry's in-memory exporter.
/// </summary>
public sealed class AlertMetricsTests
{
    private readonly List<Metric> _metrics = [];

    [Fact]
    public async Task A_text_s_final_status_is_counted_once_and_statuses_on_the_way_are_not()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var fcm = await FakeFcm.StartAsync();
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var app = App(ProviderApp.Settings(twilio, fcm, sendGrid));
        app.LatestTextTo = phone => twilio.Texts.Last(t => t.To == phone).Body;
        var arrived = await Accounts.SignInAsync(app, withCard: false);
        var lost = await Accounts.SignInAsync(app, withCard: false);
        var arrivedSid = twilio.Texts.Last(t => t.To == arrived.Phone).Sid;
        var lostSid = twilio.Texts.Last(t => t.To == lost.Phone).Sid;

        foreach (var (sid, status) in new[] { (arrivedSid, "sent"), (arrivedSid, "delivered"), (arrivedSid, "delivered"), (arrivedSid, "sent"), (lostSid, "undelivered") })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await CallbackAsync(app, sid, status)).StatusCode);
        }

        Flush(app);

        Assert.Equal((1, 1, 0, 0), (Sum("atlas.sms.delivery", "delivered"), Sum("atlas.sms.delivery", "undelivered"), Sum("atlas.sms.delivery", "sent"), Sum("atlas.sms.delivery", "failed")));
    }

    [Fact]
    public async Task A_settlement_run_counts_the_lines_its_reconciliation_finds_at_odds()
    {
        await using var app = App(new Dictionary<string, string?>());
        var period = app.Services.GetRequiredService<SettlementRun>().Current.Id;
        // Pending with no transfer in the ledger: a line the reconciliation reports (the run pays only drivers it lists).
        await app.Services.GetRequiredService<SettlementStore>().StartAsync(
            period, new SettlementLine("mb_unpaid", "gbp", 1200, 0, PayoutStatus.Pending, null, null, app.Clock.GetUtcNow()), default);

        var admin = await Accounts.PlatformAdminAsync(app);
        await HttpAssert.JsonAsync(await admin.Client.PostAsJsonAsync("/api/settlements", new { period }));
        // An operator asking again reconciles again, but only the run counts.
        await HttpAssert.JsonAsync(await admin.Client.GetAsync($"/api/settlements/{period}?reconcile=true"));
        Flush(app);

        Assert.Equal(1, Sum("atlas.settlement.mismatches", "gbp"));
    }

    [Fact]
    public async Task The_flow_watch_counts_a_failed_orchestration_and_a_journey_past_its_next_timer_but_not_one_still_waiting()
    {
        await using var app = App(new Dictionary<string, string?>());
        // The engine keeps real time; the app's clock is an hour ahead of it, so a journey can wait on a timer the
        // engine has not reached and the app's clock has long passed: what a stalled engine looks like.
        app.Clock.Advance(DateTimeOffset.UtcNow + TimeSpan.FromHours(1) - app.Clock.GetUtcNow());
        var now = app.Clock.GetUtcNow();
        var failed = await app.Durable.ScheduleNewOrchestrationInstanceAsync(SettlementFlow.Name); // no period: it fails
        await app.Durable.WaitForInstanceCompletionAsync(failed);
        foreach (var (booking, deadline) in new[] { ("bk_overdue", now - TimeSpan.FromMinutes(20)), ("bk_waiting", now + TimeSpan.FromHours(1)) })
        {
            var id = BookingJourney.InstanceId(booking);
            await app.Durable.ScheduleNewOrchestrationInstanceAsync(
                BookingJourney.Name, new BookingJourney.Input(new FlowFact("booking", booking, 1, deadline, false, [])), new StartOrchestrationOptions(id));
            await WaitForStatusAsync(app, id);
        }

        await app.App.Host.FireTimerAsync("WatchFlows");
        Flush(app);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await app.Durable.GetInstanceAsync(failed))!.RuntimeStatus);
        Assert.Equal((1, 0), (Gauge("atlas.flows.failed", SettlementFlow.Name), Gauge("atlas.flows.stuck", SettlementFlow.Name)));
        Assert.Equal((0, 1), (Gauge("atlas.flows.failed", BookingJourney.Name), Gauge("atlas.flows.stuck", BookingJourney.Name)));
    }

    /// <summary>Until the journey's first episode has shown what it waits on.</summary>
    private static async Task WaitForStatusAsync(AtlasAppFactory app, string id)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (FlowStatus.Read((await app.Durable.GetInstanceAsync(id, getInputsAndOutputs: true))?.SerializedCustomStatus)?.Next is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{id} showed no status");
            await Task.Delay(20);
        }
    }

    private AtlasAppFactory App(IDictionary<string, string?> settings) =>
        new(settings, services: s => s.AddOpenTelemetry().WithAtlasSignals().WithMetrics(m => m.AddInMemoryExporter(_metrics)));

    private static async Task<HttpResponseMessage> CallbackAsync(AtlasAppFactory app, string sid, string status)
    {
        var form = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = status, ["AccountSid"] = FakeTwilio.AccountSid };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/twilio/sms-status") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", FakeTwilio.Sign(ProviderApp.StatusCallbackUrl, form));
        return await app.CreateClient().SendAsync(request);
    }

    // The sum of a counter's points with this tag value (whatever the tag).
    private long Sum(string name, string value) =>
        Points(name).Where(p => p.Tags.ContainsValue(value)).Sum(p => p.Value);

    private long Gauge(string name, string flow) =>
        Points(name).Where(p => Equals(p.Tags.GetValueOrDefault("flow"), flow)).Select(p => p.Value).DefaultIfEmpty(-1).Last();

    private List<(Dictionary<string, object?> Tags, long Value)> Points(string name)
    {
        var points = new List<(Dictionary<string, object?>, long)>();
        if (_metrics.LastOrDefault(m => m.Name == name) is not { } metric)
        {
            return points;
        }

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            points.Add((tags, metric.MetricType == MetricType.LongGauge ? point.GetGaugeLastValueLong() : point.GetSumLong()));
        }

        return points;
    }

    private static void Flush(AtlasAppFactory app) => app.Services.GetRequiredService<MeterProvider>().ForceFlush();
}
