using System.Diagnostics.Metrics;
using Atlas.Functions.Telemetry;

namespace Atlas.Functions.Notifications;

/// <summary>Texts reaching a final status in the SMS provider's callbacks.</summary>
public sealed class SmsDeliveryMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _smsDelivery = meters.Create(AtlasTelemetry.Name).CreateCounter<long>(
        "atlas.sms.delivery", "{text}", "Texts reaching a final status in Twilio's callbacks: delivered, undelivered, failed.");

    /// <summary>A text's final status, counted once: when the log first moved to it.</summary>
    public void SmsDelivery(string status) => _smsDelivery.Add(1, new KeyValuePair<string, object?>("status", status));
}
