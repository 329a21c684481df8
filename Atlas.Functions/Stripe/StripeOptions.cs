namespace Atlas.Functions.Stripe;

/// <summary>The Stripe section: the API key, the pinned API version, the webhook secrets, and how hard to retry.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>sk_test_… or sk_live_…; from configuration (Key Vault in Azure) only.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>https://api.stripe.com, or the local fake server.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.stripe.com");

    /// <summary>The endpoint's signing secrets (whsec_…): two while one is being rotated.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>How far a webhook's timestamp may be from now.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per call, the first included, for timeouts, 5xx and 429.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry waits about this long; each later one twice as long, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often an acknowledged event is tried before it moves to the poison queue, marked failed. With the
    /// delays below, 16 attempts span about 15 hours (Stripe itself retries a delivery for three days).</summary>
    public int EventMaxAttempts { get; set; } = 16;

    /// <summary>The wait before an event that failed is tried again; it doubles with each failure, up to the maximum.</summary>
    public TimeSpan EventRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan EventMaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The catch-up timer's NCRONTAB schedule: how often Stripe's list of events is read for what no webhook
    /// brought (bound as <c>%Stripe:CatchUpSchedule%</c>).</summary>
    public string CatchUpSchedule { get; set; } = "0 */10 * * * *";

    /// <summary>How far before the newest event seen each catch-up starts: Stripe lists events by creation time, and one
    /// created a little earlier can show up after a later one was listed.</summary>
    public TimeSpan CatchUpOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the first catch-up looks (no event seen yet). Stripe lists the last 30 days.</summary>
    public TimeSpan CatchUpFirstLookBack { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan EventRetryDelayAfter(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(EventMaxRetryDelay.Ticks, EventRetryDelay.Ticks * Math.Pow(2, Math.Max(0, failures - 1))));

    public IEnumerable<string> Problems()
    {
        if (!SecretKey.StartsWith("sk_", StringComparison.Ordinal) && !SecretKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            yield return "Stripe:SecretKey must be a Stripe secret key (sk_test_… or sk_live_…).";
        }

        if (WebhookSecrets.Count == 0 || WebhookSecrets.Any(s => !s.StartsWith("whsec_", StringComparison.Ordinal)))
        {
            yield return "Stripe:WebhookSecrets must list the endpoint's signing secrets (whsec_…).";
        }

        if (MaxAttempts is < 1 or > 10)
        {
            yield return "Stripe:MaxAttempts is 1 to 10.";
        }

        if (EventMaxAttempts is < 1 or > 100 || EventRetryDelay <= TimeSpan.Zero || EventMaxRetryDelay < EventRetryDelay)
        {
            yield return "Stripe:EventMaxAttempts is 1 to 100, Stripe:EventRetryDelay positive and at most Stripe:EventMaxRetryDelay.";
        }

        if (CatchUpOverlap < TimeSpan.Zero || CatchUpOverlap > TimeSpan.FromDays(1) || CatchUpFirstLookBack <= TimeSpan.Zero || CatchUpFirstLookBack > TimeSpan.FromDays(30))
        {
            yield return "Stripe:CatchUpOverlap is 0 to 1 day, Stripe:CatchUpFirstLookBack more than 0 and at most 30 days (what Stripe lists).";
        }
    }
}
