namespace Atlas.Testing;

/// <summary>The settings every test app runs with: the test Azurite, its own name prefix, fixed test keys, one
/// platform admin phone, schedules the host can read, and rate limits and the SMS guard out of the way (the tests of
/// them lower them).</summary>
public static class TestSettings
{
    public const string PlatformAdminPhone = "+447700900000";
    public const string SigningKeyId = "test-1";
    public static readonly string SigningSecret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public const string StripeKey = "sk_test_atlas_fake";
    public const string WebhookSecret = "whsec_atlas_fake";

    public static Dictionary<string, string?> For(string prefix) => new()
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        ["Storage:NamePrefix"] = prefix,

        // A task hub of the app's own, which the host polls often: a test waits on it after every command.
        ["DurableTaskHub"] = "atlas" + prefix,
        ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:00.100",
        ["Lifecycles:RelayScanSchedule"] = "*/5 * * * * *",

        // Deadlines fire when the test has moved its clock past them and drains the app (they wait for a wake event).
        ["Settlement:Schedule"] = "0 0 0 * * *",
        ["Flows:PurgeSchedule"] = "0 30 3 * * *",
        ["Retention:PurgeSchedule"] = "0 45 3 * * *",
        ["Flows:WatchSchedule"] = "0 45 3 * * *",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Auth:SigningKeys:0:Id"] = SigningKeyId,
        ["Auth:SigningKeys:0:Secret"] = SigningSecret,
        ["Auth:CurrentKeyId"] = SigningKeyId,
        ["Auth:CodeKey"] = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray()),
        ["Auth:PlatformAdmins"] = PlatformAdminPhone,
        ["Sms:Sender"] = "recorder",
        ["Push:Sender"] = "recorder",
        ["Email:Sender"] = "recorder",
        ["RateLimits:sign-in:PermitLimit"] = "100000",
        ["RateLimits:location:PermitLimit"] = "100000",

        // Tests text +1 (the fictional +1 555) and +44; the SMS guard's budgets and conversion throttle are out of the
        // way too (SmsGuardTests sets its own), as tests and benchmarks start sign-ins they never finish.
        ["SmsGuard:CallingCodes"] = "1,44",
        ["SmsGuard:HourlyPerCallingCode"] = "10000000",
        ["SmsGuard:HourlyTotal"] = "10000000",
        ["SmsGuard:MinVolume"] = "10000000",

        // An app with a fake Stripe of its own replaces the address; the keys are the fake's.
        ["Stripe:BaseUrl"] = "http://127.0.0.1:9/",
        ["Stripe:SecretKey"] = StripeKey,
        ["Stripe:WebhookSecrets:0"] = WebhookSecret,
        ["Stripe:RetryDelay"] = "00:00:00.001",
        ["Stripe:Timeout"] = "00:00:02",

        // Fired by the tests of it (a run on its own would catch up the events other tests hold back on purpose).
        ["Stripe:CatchUpSchedule"] = "0 0 0 1 1 *",
    };
}
