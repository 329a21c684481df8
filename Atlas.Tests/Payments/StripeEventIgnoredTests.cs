using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Functions.Stripe;
using Atlas.Functions.Telemetry;
using Atlas.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using static Atlas.Tests.Infrastructure.StripeWebhooks;

namespace Atlas.Tests.Payments;

/// <summary>A signed Stripe event Atlas reads and leaves — not Atlas's, naming a ride that has no payment, of a type
/// Atlas does not act on — is recorded as ignored with why, listed for operators with the failed ones and on its own
/// (<c>?status=ignored</c>), and counted in <c>atlas.webhooks</c> by reason. (Issue 20: such events were answered
/// 200 and recorded nowhere.)</summary>
public sealed class StripeEventIgnoredTests : IAsyncLifetime
{
    private readonly List<Metric> _metrics = [];
    private readonly AtlasAppFactory _app;

    public StripeEventIgnoredTests() =>
        _app = new AtlasAppFactory(new Dictionary<string, string?>(), services: s => s.AddOpenTelemetry().WithAtlasSignals()
            .WithMetrics(m => m.AddInMemoryExporter(_metrics)));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Events_atlas_leaves_are_recorded_as_ignored_with_why_listed_and_counted_by_reason()
    {
        var bodies = new[]
        {
            Intent("evt_ignored_unknown_ride", "rd_no_such_ride_0001"),
            Intent("evt_ignored_foreign_ride", "ride 42 (other app)"),
            Intent("evt_ignored_no_ride", null),
            Event("evt_ignored_customer", "customer.updated", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" }),
        };

        var answers = await Task.WhenAll(bodies.Select(body => PostSignedAsync(_app, body)));
        await _app.DrainAsync();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var admin = await Accounts.PlatformAdminAsync(_app);
        var expected = new Dictionary<string, string>
        {
            ["evt_ignored_customer"] = "notUsed",
            ["evt_ignored_foreign_ride"] = "notOurs",
            ["evt_ignored_no_ride"] = "notOurs",
            ["evt_ignored_unknown_ride"] = "unknownRide",
        };
        var listed = Items(await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events")));
        var ignored = Items(await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events?status=ignored")));
        var failed = Items(await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events?status=failed")));
        Assert.Equal(expected, listed.ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("reason").GetString()!));
        Assert.Equal(expected.Keys, ignored.Select(i => i.GetProperty("id").GetString()!));
        Assert.All(ignored, i => Assert.Equal("ignored", i.GetProperty("status").GetString()));
        Assert.Empty(failed);

        var one = await HttpAssert.JsonAsync(await admin.Client.GetAsync("/api/ops/stripe-events/evt_ignored_unknown_ride"));
        Assert.Equal(("ignored", "unknownRide"), (one.GetProperty("status").GetString(), one.GetProperty("reason").GetString()));
        Assert.Contains("rd_no_such_ride_0001, which has no payment", one.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(_app.Clock.GetUtcNow(), one.GetProperty("ignoredAt").GetDateTimeOffset());

        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Assert.Equal(
            [("notOurs", 2L), ("notUsed", 1L), ("unknownRide", 1L)],
            Ignored().OrderBy(c => c.Reason, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_status_filter_other_than_failed_or_ignored_is_a_400_naming_it()
    {
        var admin = await Accounts.PlatformAdminAsync(_app);

        await HttpAssert.ValidationProblemAsync(await admin.Client.GetAsync("/api/ops/stripe-events?status=received"), "status");
    }

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    /// <summary>The <c>atlas.webhooks</c> counts of outcome "ignored", by reason.</summary>
    private List<(string Reason, long Count)> Ignored()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_metrics.LastOrDefault(m => m.Name == "atlas.webhooks") is { } metric)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                if (Equals(tags.GetValueOrDefault("outcome"), "ignored"))
                {
                    var reason = tags.GetValueOrDefault("reason") as string ?? "";
                    counts[reason] = counts.GetValueOrDefault(reason) + point.GetSumLong();
                }
            }
        }

        return [.. counts.Select(c => (c.Key, c.Value))];
    }

    private string Intent(string id, string? rideId) => Event(id, "payment_intent.succeeded", new JsonObject
    {
        ["id"] = "pi_" + id,
        ["object"] = "payment_intent",
        ["status"] = "succeeded",
        ["amount"] = 4_200,
        ["metadata"] = rideId is null ? new JsonObject() : new JsonObject { ["ride_id"] = rideId },
    });

    private string Event(string id, string type, JsonObject obj) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["type"] = type,
        ["api_version"] = StripeApi.ApiVersion,
        ["created"] = _app.Clock.GetUtcNow().ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["data"] = new JsonObject { ["object"] = obj },
    }.ToJsonString();
}
