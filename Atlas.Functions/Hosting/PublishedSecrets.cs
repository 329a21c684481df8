using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Atlas.Functions.Hosting;

/// <summary>
/// Outside Development the app refuses to start with a secret anyone can read: one whose value is published in
/// local.settings.sample.json (embedded in the app, so the list cannot drift from the file), naming the setting. A
/// secret weaker than its kind requires (a short key, a Stripe key of the wrong kind) is refused in every environment
/// by the options that use it.
/// </summary>
public static class PublishedSecrets
{
    /// <summary>The settings that hold secrets, as configuration keys (<c>:</c>-separated; <c>*</c> any index).</summary>
    public static readonly string[] Settings =
    [
        "Auth:SigningKeys:*:Secret", "Auth:CodeKey", "Stripe:SecretKey", "Stripe:WebhookSecrets:*",
        "Sms:Twilio:AuthToken", "Sms:Twilio:ApiKeySecret", "Push:Fcm:ServiceAccountJson", "Email:SendGrid:ApiKey",
    ];

    private static readonly Lazy<HashSet<string>> Published = new(ReadSample);

    /// <summary>This class is validated on start outside Development (see AtlasServices); it holds no settings.</summary>
    public sealed class Check;

    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is not { Length: > 0 } || !Settings.Any(pattern => Matches(pattern, key)))
            {
                continue;
            }

            if (Published.Value.Contains(value))
            {
                yield return $"{key} has the value published in local.settings.sample.json: set a secret of your own (Key Vault in Azure).";
            }
        }
    }

    private static bool Matches(string pattern, string key) =>
        Regex.IsMatch(key, "^" + Regex.Escape(pattern).Replace(@"\*", "[0-9]+", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase);

    private static HashSet<string> ReadSample()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("local.settings.sample.json")
            ?? throw new InvalidOperationException("local.settings.sample.json is not embedded in the app.");
        using var sample = JsonDocument.Parse(stream);
        return [.. sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null)
            .OfType<string>()
            .Where(v => v.Length > 0)];
    }
}
