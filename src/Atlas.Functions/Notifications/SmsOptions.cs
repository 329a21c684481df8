namespace Atlas.Functions.Notifications;

/// <summary>The Sms section: which provider sends texts.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary>Keeps texts in memory, once per effect id: for development and tests.</summary>
    public const string Recorder = "recorder";

    public string? Sender { get; set; }
}
