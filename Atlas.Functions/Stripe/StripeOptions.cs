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

    /// <summary>How long one request may take (each attempt of a retried one).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per call made outside a flow (an HTTP request, the catch-up timer), the first included, for
    /// timeouts, network errors, 409, 429 and 5xx (<see cref="StripeClients"/>).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Outside a flow, the first retry waits about this long (or Stripe's Retry-After); each later one twice as
    /// long, with jitter, at most 10 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Tries of a journey's Stripe step (a Durable activity, <c>TakeFlowStep</c>) in one round, the first
    /// included; its Durable retry is the step's only retry.</summary>
    public int StepMaxAttempts { get; set; } = 6;

    /// <summary>The step's first Durable retry waits this long, each later one twice as long, at most
    /// <see cref="StepMaxRetryDelay"/>.</summary>
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan StepMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a step whose round of tries failed (Stripe or storage down for minutes) waits before the next
    /// round; rounds go on until the step is done.</summary>
    public TimeSpan StepPark { get; set; } = TimeSpan.FromMinutes(5);

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

        if (MaxAttempts is < 1 or > 10 || RetryDelay <= TimeSpan.Zero || Timeout <= TimeSpan.Zero)
        {
            yield return "Stripe:MaxAttempts is 1 to 10, Stripe:RetryDelay and Stripe:Timeout positive.";
        }

        if (StepMaxAttempts is < 1 or > 20 || StepRetryDelay <= TimeSpan.Zero || StepMaxRetryDelay < StepRetryDelay || StepPark <= TimeSpan.Zero)
        {
            yield return "Stripe:StepMaxAttempts is 1 to 20, Stripe:StepRetryDelay positive and at most Stripe:StepMaxRetryDelay, Stripe:StepPark positive.";
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
