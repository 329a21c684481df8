namespace Atlas.Functions.Notifications;

/// <summary>Which provider a channel sends through: the Sms and Push sections, each with a Sender.</summary>
public sealed class SenderOptions
{
    public const string Sms = "Sms";
    public const string Push = "Push";

    /// <summary>Keeps messages in memory, once per effect id: for development and tests.</summary>
    public const string Recorder = "recorder";

    public string? Sender { get; set; }
}
