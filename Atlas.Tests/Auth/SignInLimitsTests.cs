using System.Net;
using Atlas.Tests.Infrastructure;

namespace Atlas.Tests.Auth;

/// <summary>What depends on how the app is configured: the per-IP limit and the development SMS inbox.</summary>
public sealed class SignInLimitsTests
{
    [Fact]
    public async Task Sign_in_requests_from_one_ip_are_limited_with_retry_after()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["RateLimits:sign-in:PermitLimit"] = "3",
            ["RateLimits:sign-in:Window"] = "00:10:00",
        });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await Accounts.StartAsync(client, Accounts.NewPhone());
        }

        var response = await client.PostAsJsonAsync("/api/auth/otp/verify", new { challengeId = "ch_x", code = "123456" });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Behind_a_trusted_front_door_each_client_address_has_its_own_allowance()
    {
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["RateLimits:sign-in:PermitLimit"] = "2",
            ["RateLimits:sign-in:Window"] = "00:10:00",
            ["Http:TrustedHops"] = "2",
        });

        var first = await SignInsFromAsync(app, "203.0.113.7", 3);
        var second = await SignInsFromAsync(app, "203.0.113.8", 2);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], second);
    }

    [Fact]
    public async Task An_address_the_client_writes_itself_is_not_believed()
    {
        // One trusted hop (the Functions host): what the client put in X-Forwarded-For is left of what the host saw.
        await using var app = new AtlasAppFactory(new Dictionary<string, string?>
        {
            ["RateLimits:sign-in:PermitLimit"] = "2",
            ["RateLimits:sign-in:Window"] = "00:10:00",
        });

        var spoofed = (await SignInsFromAsync(app, "198.51.100.1", 2)).Concat(await SignInsFromAsync(app, "198.51.100.2", 1));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], spoofed);
    }

    private static async Task<List<HttpStatusCode>> SignInsFromAsync(AtlasAppFactory app, string forwardedFor, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/otp") { Content = JsonContent.Create(new { phone = Accounts.NewPhone() }) };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            statuses.Add((await app.CreateClient().SendAsync(request)).StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task The_dev_sms_inbox_exists_only_in_Development()
    {
        await using var production = new AtlasAppFactory(AppServices.OutsideDevelopment(), environment: "Production");

        var response = await production.CreateClient().GetAsync("/api/dev/sms?phone=%2B447700900123");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task No_log_entry_carries_a_sign_in_code_even_at_trace_level()
    {
        var logs = new CapturedLogs();
        await using var app = new AtlasAppFactory(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        var client = app.CreateClient();
        var phone = Accounts.NewPhone();

        var challengeId = await Accounts.StartAsync(client, phone);
        var code = await Accounts.LatestCodeAsync(app, client, phone);
        await Accounts.VerifyAsync(client, challengeId, code == "000000" ? "111111" : "000000");
        await HttpAssert.JsonAsync(await Accounts.VerifyAsync(client, challengeId, code));

        Assert.NotEmpty(logs.Entries);
        Assert.All(logs.Entries, e =>
        {
            Assert.DoesNotContain(code, e.Message, StringComparison.Ordinal);
            Assert.All(e.Scope.Values, v => Assert.DoesNotContain(code, v?.ToString() ?? "", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Outside_Development_the_app_will_not_start_without_an_SMS_sender()
    {
        var failure = await AppServices.StartFailureAsync("Production", new(AppServices.OutsideDevelopment()) { ["Sms:Sender"] = "" });

        Assert.Contains("Sms:Sender", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth:CurrentKeyId", "not-a-key", "Auth:CurrentKeyId")]
    [InlineData("Auth:SigningKeys:0:Secret", "c2hvcnQ=", "at least 32 bytes")]
    [InlineData("Auth:SigningKeys:0:Id", "", "needs an Id")]
    [InlineData("Auth:CodeKey", "", "Auth:CodeKey")]
    public async Task The_app_will_not_start_with_keys_that_would_fail_at_the_first_sign_in(string setting, string value, string message)
    {
        var failure = await AppServices.StartFailureAsync("Development", new() { [setting] = value });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }


    [Fact]
    public async Task The_dev_sms_inbox_wants_an_E164_phone()
    {
        await using var app = new AtlasAppFactory();

        await HttpAssert.ValidationProblemAsync(await app.CreateClient().GetAsync("/api/dev/sms?phone=hello"), "phone");
    }
}
