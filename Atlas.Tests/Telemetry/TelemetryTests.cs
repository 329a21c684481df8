using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Atlas.Functions.Telemetry;
using Atlas.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Atlas.Tests.Infrastructure.Marketplace;
using static Atlas.Tests.Infrastructure.Money;

namespace Atlas.Tests.Telemetry;

/// <summary>
/// What Atlas exports, read from OpenTelemetry's in-memory exporters: one booked ride's trace, from the request that
/// booked (its traceparent sent by the app) through the deadline flow that closed the bidding, the Stripe step that
/// held the fare (with Stripe's request id) and the notices; the business metrics it counted; and, in every exported
/// span, metric and log, nothing secret or personal.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly List<LogRecord> _logs = [];
    private readonly AtlasAppFactory _app;

    public TelemetryTests() =>
        _app = new AtlasAppFactory(new Dictionary<string, string?>(), services: s => s.AddOpenTelemetry().WithAtlasSignals()
            .WithTracing(t => t.AddInMemoryExporter(_spans))
            .WithMetrics(m => m.AddInMemoryExporter(_metrics))
            .WithLogging(l => l.AddInMemoryExporter(_logs)));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task One_trace_follows_a_booked_ride_and_its_metrics_count_it_with_nothing_personal_exported()
    {
        var secrets = new List<string>();
        var rider = await SignInWithOneWrongCodeAsync(secrets);
        var company = await TestCompany.CreateAsync(_app);
        await ReadyAsync(company.Driver, company.VehicleId);
        secrets.AddRange(new[] { rider, company.Admin, company.Dispatcher, company.Driver }.SelectMany(s => new[] { s.Phone, s.Phone.TrimStart('+'), s.AccessToken, s.RefreshToken }));

        var trace = ActivityTraceId.CreateRandom();
        var quote = await QuoteAsync(rider);
        using var book = new HttpRequestMessage(HttpMethod.Post, "/api/bookings") { Content = JsonContent.Create(new { quoteId = quote.GetProperty("quoteId").GetString() }) };
        book.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        book.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var booking = await HttpAssert.JsonAsync(await rider.Client.SendAsync(book), HttpStatusCode.Created);
        var bookingId = booking.GetProperty("id").GetString()!;
        await _app.DrainAsync();
        await HttpAssert.JsonAsync(await BidAsync(company.Driver, bookingId, QuoteTotal(booking)));
        await CloseBiddingAsync(_app);
        var rideId = (await GetBookingAsync(rider, bookingId)).GetProperty("assignment").GetProperty("rideId").GetString()!;
        secrets.Add((await GetRideAsync(rider, rideId)).GetProperty("startCode").GetString()!);
        await CompleteAsync(_app, rider, company.Driver, rideId);
        Flush();

        var ride = _spans.Where(s => s.TraceId == trace).ToList();
        var seen = string.Join("\n", ride.Select(s => $"{s.Source.Name}: {s.DisplayName}"));
        Assert.Contains(ride, s => s.Source.Name == "Microsoft.Azure.Functions.Worker" && s.ParentSpanId != default);
        Assert.Contains(ride, s => s.DisplayName == "deadline booking");
        var authorise = Assert.Single(ride, s => s.DisplayName == "effect payment.authorise");
        var stripe = Assert.Single(ride, s => s.DisplayName == "Stripe POST /v1/payment_intents");
        Assert.Equal(authorise.SpanId, stripe.ParentSpanId);
        Assert.Equal(ActivityKind.Client, stripe.Kind);
        Assert.StartsWith("req_", stripe.GetTagItem("stripe.request_id") as string, StringComparison.Ordinal);
        Assert.True(ride.Any(s => s.DisplayName == "effect notify" && s.Events.Any(e => e.Tags.Any(t => t.Value as string == "booking.assigned"))), seen);

        Assert.Equal(1, Sum("atlas.bookings.created"));
        Assert.Equal(1, Sum("atlas.bids"));
        Assert.Equal(1, Sum("atlas.rides.ended", "outcome", "completed"));
        Assert.Equal((1, 1), (Sum("atlas.escrow", "outcome", "authorised"), Sum("atlas.escrow", "outcome", "captured")));
        Assert.Equal(1, Sum("atlas.sign_ins", "outcome", "failed"));
        Assert.True(Sum("atlas.sign_ins", "outcome", "verified") >= 4, "the rider and the company's three people signed in");
        Assert.Equal(Sum("atlas.sign_ins", "outcome", "started"), Sum("atlas.sign_ins", "outcome", "verified"));
        Assert.True(Sum("atlas.deadline.lag") >= 1, "the bidding window's deadline fired");

        AssertNothingPersonal(secrets);
    }

    [Fact]
    public async Task Stripe_events_are_counted_as_received_duplicate_and_ignored_with_the_reason()
    {
        const string Event = """{"id":"evt_counted_1","object":"event","type":"invoice.paid","created":1795338000,"data":{"object":{"id":"in_1"}}}""";

        await HttpAssert.JsonAsync(await StripeWebhooks.PostSignedAsync(_app, Event));
        await HttpAssert.JsonAsync(await StripeWebhooks.PostSignedAsync(_app, Event));
        await _app.PumpAsync();
        Flush();

        Assert.Equal(
            (1, 1, 1, 0),
            (Sum("atlas.webhooks", "outcome", "received"), Sum("atlas.webhooks", "outcome", "duplicate"), Sum("atlas.webhooks", "reason", "notUsed"), Sum("atlas.webhooks", "outcome", "applied")));
    }

    private async Task<SignedIn> SignInWithOneWrongCodeAsync(List<string> secrets)
    {
        var phone = Accounts.NewPhone();
        var client = _app.CreateClient();
        var challengeId = await Accounts.StartAsync(client, phone);
        var code = await Accounts.LatestCodeAsync(_app, client, phone);
        var wrong = code == "000000" ? "111111" : "000000";
        await HttpAssert.ProblemAsync(await Accounts.VerifyAsync(client, challengeId, wrong), HttpStatusCode.BadRequest);
        secrets.Add(code);
        var rider = Accounts.Read(_app, await HttpAssert.JsonAsync(await Accounts.VerifyAsync(client, challengeId, code)));
        await Accounts.AddCardAsync(rider);
        return rider;
    }

    private void AssertNothingPersonal(IReadOnlyList<string> secrets)
    {
        var exported = _spans.SelectMany(s => s.TagObjects.Select(t => $"span {s.DisplayName} {t.Key}={t.Value}")
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"span event {e.Name} {t.Key}={t.Value}")))
                .Append($"span {s.DisplayName}"))
            .Concat(_logs.SelectMany(LogValues))
            .Concat(_metrics.SelectMany(MetricTags))
            .ToList();
        Assert.True(exported.Count > 100, $"only {exported.Count} values were exported");
        foreach (var secret in secrets.Distinct())
        {
            var pattern = new Regex($"(?<![0-9]){Regex.Escape(secret)}(?![0-9])");
            var leaks = exported.Where(value => pattern.IsMatch(value)).ToList();
            Assert.True(leaks.Count == 0, $"exported telemetry holds a secret or personal value:\n{string.Join("\n", leaks.Take(5))}");
        }
    }

    private static IEnumerable<string> LogValues(LogRecord log)
    {
        yield return $"log {log.CategoryName}: {log.FormattedMessage ?? log.Body}";
        foreach (var attribute in log.Attributes ?? [])
        {
            yield return $"log {log.CategoryName} {attribute.Key}={attribute.Value}";
        }

        var scopes = new List<string>();
        log.ForEachScope(
            (scope, list) =>
            {
                foreach (var item in scope)
                {
                    list.Add($"log scope {item.Key}={item.Value}");
                }
            },
            scopes);
        foreach (var scope in scopes)
        {
            yield return scope;
        }
    }

    private static IEnumerable<string> MetricTags(Metric metric)
    {
        var tags = new List<string>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                tags.Add($"metric {metric.Name} {tag.Key}={tag.Value}");
            }
        }

        return tags;
    }

    private long Sum(string name, string? tag = null, string? value = null)
    {
        if (_metrics.LastOrDefault(m => m.Name == name) is not { } metric)
        {
            return 0;
        }

        long total = 0;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new List<KeyValuePair<string, object?>>();
            foreach (var t in point.Tags)
            {
                tags.Add(t);
            }

            if (tag is null || tags.Any(t => t.Key == tag && Equals(t.Value, value)))
            {
                total += metric.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
            }
        }

        return total;
    }

    private void Flush()
    {
        _app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _app.Services.GetRequiredService<LoggerProvider>().ForceFlush();
    }
}
