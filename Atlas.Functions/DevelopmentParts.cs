using Atlas.Functions.Notifications.Providers;
using Atlas.Functions.Stripe;

namespace Atlas.Functions;

/// <summary>
/// Outside Development the app refuses to start on a part made for development, naming the setting: a provider or
/// Stripe pointed at another address than its own (a local fake), or the local fake Stripe's keys. A Stripe key is
/// real when it is an account's secret or restricted key (sk_live_, sk_test_, rk_live_, rk_test_) and not the fake's.
/// A channel's sender is held to its provider where it is chosen (<see cref="Notifications.NotificationServices"/>).
/// </summary>
public static class DevelopmentParts
{
    /// <summary>The key and signing secret of the local fake Stripe (<c>./atlas run</c>, the tests): published, and
    /// accepted by nothing but the fake.</summary>
    public static readonly string[] FakeStripeSecrets = ["sk_test_atlas_fake", "whsec_atlas_fake"];

    private static readonly string[] StripeKeyPrefixes = ["sk_live_", "sk_test_", "rk_live_", "rk_test_"];

    /// <summary>This class is validated on start outside Development (see AtlasApp); it holds no settings.</summary>
    public sealed class Check;

    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        var addresses = new (string Setting, Uri Own)[]
        {
            ($"{TwilioOptions.Section}:BaseUrl", new TwilioOptions().BaseUrl),
            ($"{FcmOptions.Section}:BaseUrl", new FcmOptions().BaseUrl),
            ($"{SendGridOptions.Section}:BaseUrl", new SendGridOptions().BaseUrl),
            ($"{StripeOptions.Section}:BaseUrl", new StripeOptions().BaseUrl),
        };
        foreach (var (setting, own) in addresses)
        {
            if (configuration[setting] is { Length: > 0 } address && !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri == own))
            {
                yield return $"{setting} is {address}: outside Development it is {own.GetLeftPart(UriPartial.Authority)} (or left out), not a fake.";
            }
        }

        var key = configuration[$"{StripeOptions.Section}:SecretKey"] ?? "";
        if (FakeStripeSecrets.Contains(key) || !StripeKeyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal) && key.Length > p.Length))
        {
            yield return $"{StripeOptions.Section}:SecretKey is not a Stripe account's key: outside Development it is your sk_live_…, sk_test_…, rk_live_… or rk_test_… key (not the local fake's).";
        }

        foreach (var (setting, secret) in configuration.GetSection($"{StripeOptions.Section}:WebhookSecrets").AsEnumerable(makePathsRelative: false))
        {
            if (secret is not null && FakeStripeSecrets.Contains(secret))
            {
                yield return $"{setting} is the local fake Stripe's signing secret: outside Development it is your webhook endpoint's whsec_….";
            }
        }
    }
}
