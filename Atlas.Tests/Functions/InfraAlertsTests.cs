using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Notifications;
using Atlas.Functions.Payments;
using Atlas.Functions.Rides;
using Atlas.Functions.Settlement;
using Atlas.Functions.Telemetry;
using Atlas.Functions.Webhooks;
using Atlas.Testing;

namespace Atlas.Tests.Functions;

/// <summary>
/// infra/modules/alerts.bicep declares the alerts an operator needs, each a log alert rule mailed through the action
/// group to the <c>alertEmail</c> parameter; each queries a metric the app really emits (a renamed metric fails
/// here, not silently in Azure), splits by columns its query makes, and has its section in docs/runbook.md.
/// </summary>
public sealed partial class InfraAlertsTests
{
    private static readonly string Root = Azurite.RepositoryRoot();

    private static readonly string[] Expected =
    [
        "poisoned-messages", "orchestrations-failed", "orchestrations-stuck", "stripe-events-failed", "stripe-events-caught-up",
        "http-5xx", "deadline-lag", "texts-undelivered", "sms-budget-reached", "settlement-mismatches",
    ];

    [Fact]
    public async Task The_alerts_an_operator_needs_are_declared_and_mailed_to_the_address_in_the_parameters()
    {
        var template = await BuildAsync();

        Assert.Equal(Expected.Order(), Alerts(template).Select(a => a.GetProperty("name").GetString()!).Order());
        var resources = template.GetProperty("resources").EnumerateArray().ToList();
        var group = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Insights/actionGroups");
        Assert.Equal("[parameters('alertEmail')]", group.GetProperty("properties").GetProperty("emailReceivers")[0].GetProperty("emailAddress").GetString());
        var rules = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Insights/scheduledQueryRules");
        Assert.Contains("actionGroups", rules.GetProperty("properties").GetProperty("actions").GetRawText(), StringComparison.Ordinal);

        var main = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
        Assert.Contains("alertEmail: alertEmail", main, StringComparison.Ordinal);
        var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "infra", "main.parameters.json"))).RootElement.GetProperty("parameters");
        Assert.Equal("${ATLAS_ALERT_EMAIL}", parameters.GetProperty("alertEmail").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Every_alert_on_a_metric_names_one_that_Atlas_emits_and_splits_by_columns_its_query_makes()
    {
        var emitted = EmittedMetrics();

        foreach (var alert in Alerts(await BuildAsync()))
        {
            var name = alert.GetProperty("name").GetString()!;
            var query = alert.GetProperty("query").GetString()!;
            var metrics = MetricName().Matches(query).Select(m => m.Groups[1].Value).ToList();
            if (query.StartsWith("customMetrics", StringComparison.Ordinal))
            {
                var metric = Assert.Single(metrics);
                Assert.True(emitted.Contains(metric), $"Alert {name} queries {metric}, which the app does not emit (it emits {string.Join(", ", emitted.Order())})");
            }
            else
            {
                Assert.StartsWith("requests |", query, StringComparison.Ordinal);
            }

            Assert.Contains($" {alert.GetProperty("measure").GetString()} = ", query, StringComparison.Ordinal);
            var by = query.Contains(" by ", StringComparison.Ordinal) ? query[(query.LastIndexOf(" by ", StringComparison.Ordinal) + 4)..].Split('|')[0] : "";
            Assert.Equal(
                alert.GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()!).Order(),
                by.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());
        }
    }

    [Fact]
    public async Task Every_alert_has_a_runbook_section_saying_what_it_means_how_to_look_what_to_do_and_when_it_is_fixed()
    {
        var runbook = File.ReadAllText(Path.Combine(Root, "docs", "runbook.md"));
        var sections = Heading().Split(runbook).Skip(1).Chunk(2).ToDictionary(s => Anchor(s[0]), s => s[1]);

        foreach (var alert in Alerts(await BuildAsync()).Select(a => a.GetProperty("name").GetString()!))
        {
            Assert.True(sections.TryGetValue(alert, out var section), $"docs/runbook.md has no section whose anchor is #{alert}");
            Assert.All(
                new[] { "**What it means**", "**How to look**", "**What to do**", "**Fixed when**" },
                part => Assert.True(section.Contains(part, StringComparison.Ordinal), $"#{alert} lacks {part}"));
        }
    }

    /// <summary>The names of the instruments the runtime's and the features' metrics create, as a listener on the meter
    /// sees them.</summary>
    private static HashSet<string> EmittedMetrics()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Meter.Name == AtlasTelemetry.Name)
                {
                    names.Add(instrument.Name);
                }
            },
        };
        listener.Start();
        _ = new AtlasMetrics(meters);
        _ = new SignInMetrics(meters);
        _ = new BookingMetrics(meters);
        _ = new RideMetrics(meters);
        _ = new EscrowMetrics(meters);
        _ = new StripeEventMetrics(meters);
        _ = new SettlementMetrics(meters);
        _ = new SmsDeliveryMetrics(meters);
        return names;
    }

    private static IEnumerable<JsonElement> Alerts(JsonElement template) =>
        template.GetProperty("variables").GetProperty("alerts").EnumerateArray();

    private static async Task<JsonElement> BuildAsync()
    {
        var (code, output) = await InfraTests.BicepAsync("build", Path.Combine(Root, "infra", "modules", "alerts.bicep"), "--stdout");
        Assert.True(code == 0, output);
        return JsonDocument.Parse(output).RootElement;
    }

    // GitHub's anchor for a heading: lower case, spaces as hyphens, other punctuation dropped.
    private static string Anchor(string heading) =>
        new([.. heading.Trim().ToLowerInvariant().Replace(' ', '-').Where(c => char.IsLetterOrDigit(c) || c is '-' or '_')]);

    [GeneratedRegex(@"name == '([^']+)'")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^## (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
