namespace Atlas.Functions.Notifications.Providers;

/// <summary>Twilio (section <c>Sms:Twilio</c>): the account, how it authenticates (its auth token, or an API key),
/// who the texts come from, and where Twilio posts delivery status.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Sms:Twilio";

    public string? AccountSid { get; set; }

    /// <summary>Signs Twilio's status callbacks; authenticates the API calls too when no API key is set.</summary>
    public string? AuthToken { get; set; }

    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    /// <summary>A Messaging Service (MG…) picks the sender; otherwise <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    public string? From { get; set; }

    /// <summary>The public address of <c>POST /api/webhooks/twilio/sms-status</c>, exactly as Twilio calls it (it signs it).</summary>
    public string? StatusCallbackUrl { get; set; }

    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    public IEnumerable<string> Problems()
    {
        if (AccountSid is not { Length: > 0 })
        {
            yield return $"{Section}:AccountSid is required when Sms:Sender is twilio.";
        }

        if (AuthToken is not { Length: > 0 })
        {
            yield return $"{Section}:AuthToken is required when Sms:Sender is twilio (it signs the status callbacks).";
        }

        if (ApiKeySid is { Length: > 0 } != ApiKeySecret is { Length: > 0 })
        {
            yield return $"{Section}:ApiKeySid and {Section}:ApiKeySecret go together.";
        }

        if (MessagingServiceSid is not { Length: > 0 } && From is not { Length: > 0 })
        {
            yield return $"{Section}:MessagingServiceSid or {Section}:From is required when Sms:Sender is twilio.";
        }

        if (!Uri.TryCreate(StatusCallbackUrl, UriKind.Absolute, out _))
        {
            yield return $"{Section}:StatusCallbackUrl is required when Sms:Sender is twilio: the public https address of /api/webhooks/twilio/sms-status.";
        }
    }
}

/// <summary>Firebase Cloud Messaging's HTTP v1 API (section <c>Push:Fcm</c>): the project and the service account
/// whose key signs the OAuth token.</summary>
public sealed class FcmOptions
{
    public const string Section = "Push:Fcm";

    public string? ProjectId { get; set; }

    /// <summary>The service account's JSON key (from Key Vault in Azure).</summary>
    public string? ServiceAccountJson { get; set; }

    public Uri BaseUrl { get; set; } = new("https://fcm.googleapis.com");

    private static bool IsServiceAccountKey(string json)
    {
        try
        {
            using var key = System.Text.Json.JsonDocument.Parse(json);
            var root = key.RootElement;
            string? Field(string name) => root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty(name, out var value) ? value.GetString() : null;
            return Field("type") == "service_account" && Field("client_email") is { Length: > 0 } && Field("private_key") is { Length: > 0 } && Field("token_uri") is { Length: > 0 };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    public IEnumerable<string> Problems()
    {
        if (ProjectId is not { Length: > 0 })
        {
            yield return $"{Section}:ProjectId is required when Push:Sender is fcm.";
        }

        if (ServiceAccountJson is not { Length: > 0 })
        {
            yield return $"{Section}:ServiceAccountJson is required when Push:Sender is fcm (the service account's JSON key).";
        }
        else if (!IsServiceAccountKey(ServiceAccountJson))
        {
            yield return $"{Section}:ServiceAccountJson is not a service account's JSON key (type service_account, client_email, private_key, token_uri).";
        }
    }
}

/// <summary>SendGrid (section <c>Email:SendGrid</c>) and who mail comes from (<c>Email:From</c>).</summary>
public sealed class SendGridOptions
{
    public const string Section = "Email:SendGrid";

    public string? ApiKey { get; set; }

    public Uri BaseUrl { get; set; } = new("https://api.sendgrid.com");

    public IEnumerable<string> Problems(string? from)
    {
        if (ApiKey is not { Length: > 0 })
        {
            yield return $"{Section}:ApiKey is required when Email:Sender is sendgrid.";
        }

        if (from is not { Length: > 0 })
        {
            yield return "Email:From is required when Email:Sender is sendgrid (a sender SendGrid has verified).";
        }
    }
}
