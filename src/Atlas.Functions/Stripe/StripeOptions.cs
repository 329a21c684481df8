namespace Atlas.Functions.Stripe;

/// <summary>The Stripe section: the API key, the pinned API version, the webhook secrets, and how hard to retry.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>sk_test_… or sk_live_…; from configuration (Key Vault in Azure) only.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>https://api.stripe.com, or the local fake server.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.stripe.com");

    /// <summary>Every request pins this version, so Stripe's objects keep the shape this client reads.</summary>
    public string ApiVersion { get; set; } = "2025-06-30.basil";

    /// <summary>The endpoint's signing secrets (whsec_…): two while one is being rotated.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>How far a webhook's timestamp may be from now.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per call, the first included, for timeouts, 5xx and 429.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry waits about this long; each later one twice as long, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

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
    }
}
