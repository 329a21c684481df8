using System.Net;
using Atlas.Functions.Telemetry;
using Atlas.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Atlas.Tests.Auth;

/// <summary>
/// The SMS guard through real HTTP (docs/sms-abuse.md): texts only to the listed calling codes, hourly budgets per
/// calling code (429) and in all (503) that hold across a restart, and a pumping burst to one calling code cut off to
/// a trickle within its first minute while people elsewhere sign in, until it recovers. Time moves by the test's clock.
/// </summary>
public sealed class SmsAbuseTests
{
    private readonly List<Metric> _metrics = [];
    private readonly CapturedLogs _logs = new();

    private AtlasAppFactory App(Dictionary<string, string?> settings) => new(
        settings,
        services: s =>
        {
            s.AddSingleton<ILoggerProvider>(_logs);
            s.AddOpenTelemetry().WithAtlasSignals().WithMetrics(m => m.AddInMemoryExporter(_metrics));
        });

    [Fact]
    public async Task A_number_of_a_calling_code_not_listed_is_a_400_naming_phone_and_the_rule_and_no_text_goes()
    {
        await using var app = App(new() { ["SmsGuard:CallingCodes"] = "44" });
        var client = app.CreateClient();

        var rule = await HttpAssert.ValidationProblemAsync(await StartAsync(client, "+15550104242"), "phone");
        await HttpAssert.JsonAsync(await StartAsync(client, "+447700900142"), HttpStatusCode.Accepted);

        Assert.Equal("Sign-in codes are texted only to numbers with the calling code +44.", rule);
        await app.PumpAsync();
        var inbox = await HttpAssert.JsonAsync(await client.GetAsync("/api/dev/sms?phone=%2B15550104242"));
        Assert.Equal(0, inbox.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Past_a_calling_codes_hourly_budget_starts_and_resends_are_429_until_the_hour_ends_while_other_codes_get_texts()
    {
        await using var app = App(new() { ["SmsGuard:HourlyPerCallingCode"] = "2" });
        var client = app.CreateClient();
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await Accounts.StartAsync(client, Accounts.NewPhone());
        var challengeId = await Accounts.StartAsync(client, Accounts.NewPhone());

        var third = await StartAsync(client, Accounts.NewPhone());
        await HttpAssert.JsonAsync(await StartAsync(client, "+447700900143"), HttpStatusCode.Accepted);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var resend = await client.PostAsJsonAsync("/api/auth/otp/resend", new { challengeId });

        var problem = await HttpAssert.ProblemAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Equal("sms-budget", problem.GetProperty("code").GetString());
        Assert.Contains("+1 numbers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(45), third.Headers.RetryAfter?.Delta);
        Assert.Equal("sms-budget", (await HttpAssert.ProblemAsync(resend, HttpStatusCode.TooManyRequests)).GetProperty("code").GetString());

        app.Clock.Advance(TimeSpan.FromMinutes(45));
        await Accounts.StartAsync(client, Accounts.NewPhone());
    }

    [Fact]
    public async Task Past_the_hourly_budget_for_all_calling_codes_sign_in_is_a_503_with_retry_after()
    {
        await using var app = App(new() { ["SmsGuard:HourlyTotal"] = "2" });
        var client = app.CreateClient();
        await Accounts.StartAsync(client, Accounts.NewPhone());
        await Accounts.StartAsync(client, "+447700900144");

        var third = await StartAsync(client, "+447700900145");

        var problem = await HttpAssert.ProblemAsync(third, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("sms-budget-total", problem.GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromHours(1), third.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task The_budget_is_kept_in_storage_so_a_restarted_host_still_holds_it()
    {
        await using var app = App(new() { ["SmsGuard:HourlyPerCallingCode"] = "2" });
        await Accounts.StartAsync(app.CreateClient(), Accounts.NewPhone());
        await Accounts.StartAsync(app.CreateClient(), Accounts.NewPhone());

        await app.RestartHostAsync();
        var third = await StartAsync(app.CreateClient(), Accounts.NewPhone());

        Assert.Equal("sms-budget", (await HttpAssert.ProblemAsync(third, HttpStatusCode.TooManyRequests)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Held_texts_are_counted_by_reason_and_calling_code()
    {
        await using var app = App(new() { ["SmsGuard:HourlyPerCallingCode"] = "2", ["SmsGuard:HourlyTotal"] = "3" });
        var client = app.CreateClient();

        await HttpAssert.ValidationProblemAsync(await StartAsync(client, "+33612345678"), "phone");
        await Accounts.StartAsync(client, Accounts.NewPhone());
        await Accounts.StartAsync(client, Accounts.NewPhone());
        await HttpAssert.ProblemAsync(await StartAsync(client, Accounts.NewPhone()), HttpStatusCode.TooManyRequests);
        await Accounts.StartAsync(client, "+447700900146");
        await HttpAssert.ProblemAsync(await StartAsync(client, "+447700900147"), HttpStatusCode.ServiceUnavailable);
        Flush(app);

        Assert.Equal(
            [("budget", "1", 1), ("country", "33", 1), ("total_budget", "44", 1)],
            Blocked().Select(b => (b.Reason, b.CallingCode, b.Count)).Order());
    }

    [Fact]
    public async Task A_pumping_burst_is_cut_to_a_trickle_within_its_first_minute_while_people_elsewhere_sign_in_until_it_recovers()
    {
        await using var app = App(new()
        {
            ["SmsGuard:CallingCodes"] = "1,44,371",
            ["SmsGuard:ConversionWindow"] = "00:05:00",
            ["SmsGuard:MinVolume"] = "20",
            ["SmsGuard:MinConversion"] = "0.2",
            ["SmsGuard:TricklePerMinute"] = "1",
        });
        var client = app.CreateClient();

        // A bot asks for a code to a new Latvian number every second and never enters one; every ten seconds a person
        // in the UK signs in.
        var pumped = new List<HttpStatusCode>();
        for (var second = 0; second < 60; second++)
        {
            var response = await StartAsync(client, $"+3712{second:D7}");
            pumped.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("sms-throttled", (await HttpAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests)).GetProperty("code").GetString());
            }

            if (second % 10 == 5)
            {
                await Accounts.SignInAsync(app, $"+4477009002{second:D2}", withCard: false);
            }

            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 20).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 40)), pumped);
        Assert.Contains(_logs.Entries, e => e.Message.StartsWith("Sign-in texts to +371 are throttled", StringComparison.Ordinal));

        // The next minute lets one text through (a real user among the bots may get their code), no more.
        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(client, "+37129000001")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await StartAsync(client, "+37129000002")).StatusCode);
        Flush(app);
        Assert.Equal([("conversion", "371", 41)], Blocked().Select(b => (b.Reason, b.CallingCode, b.Count)));

        // Once the burst has left the window, a person in Latvia gets their code.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await Accounts.SignInAsync(app, "+37129000003", withCard: false);
    }

    [Theory]
    [InlineData("SmsGuard:CallingCodes", "", "SmsGuard:CallingCodes")]
    [InlineData("SmsGuard:CallingCodes", "44,uk", "SmsGuard:CallingCodes")]
    [InlineData("SmsGuard:HourlyTotal", "0", "SmsGuard:HourlyTotal")]
    [InlineData("SmsGuard:ConversionWindow", "00:00:30", "SmsGuard:ConversionWindow")]
    [InlineData("SmsGuard:MinConversion", "1.5", "SmsGuard:MinConversion")]
    public async Task The_app_will_not_start_with_an_SMS_guard_setting_that_cannot_work(string setting, string value, string message)
    {
        var failure = await AppServices.StartFailureAsync("Development", new() { [setting] = value });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_declares_the_guards_400_429_and_503_as_problems_on_start_and_resend()
    {
        await using var app = App(new());
        var paths = (await HttpAssert.JsonAsync(await app.CreateClient().GetAsync("/api/openapi.json"))).GetProperty("paths");

        foreach (var path in new[] { "/api/auth/otp", "/api/auth/otp/resend" })
        {
            var responses = paths.GetProperty(path).GetProperty("post").GetProperty("responses");
            Assert.All(new[] { "400", "429", "503" }, status => Assert.True(
                responses.TryGetProperty(status, out var response) && response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                $"{path} {status}: {responses}"));
        }
    }

    private static Task<HttpResponseMessage> StartAsync(HttpClient client, string phone) =>
        client.PostAsJsonAsync("/api/auth/otp", new { phone });

    private static void Flush(AtlasAppFactory app) => app.Services.GetRequiredService<MeterProvider>().ForceFlush();

    /// <summary>The counts of atlas.signin.sms_blocked, by reason and calling code, as last exported.</summary>
    private List<(string Reason, string CallingCode, long Count)> Blocked()
    {
        var counts = new List<(string, string, long)>();
        if (_metrics.LastOrDefault(m => m.Name == "atlas.signin.sms_blocked") is not { } metric)
        {
            return counts;
        }

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            counts.Add(((string)tags["reason"]!, (string)tags["calling_code"]!, point.GetSumLong()));
        }

        return counts;
    }
}
