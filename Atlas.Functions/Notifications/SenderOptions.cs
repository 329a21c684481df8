namespace Atlas.Functions.Notifications;

/// <summary>Which provider a channel sends through: the Sms, Push and Email sections, each with a Sender.</summary>
public sealed class SenderOptions
{
    public const string Sms = "Sms";
    public const string Push = "Push";
    public const string Email = "Email";

    /// <summary>Keeps messages in memory, once per idempotency key: for development and tests.</summary>
    public const string Recorder = "recorder";

    public const string Twilio = "twilio";
    public const string Fcm = "fcm";
    public const string SendGrid = "sendgrid";

    public string? Sender { get; set; }
}
