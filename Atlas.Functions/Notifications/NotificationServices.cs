using Atlas.Core.Notifications;
using Atlas.Functions.Common;
using Atlas.Functions.Hosting;
using Atlas.Functions.Notifications.Providers;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Notifications;

/// <summary>Texts, push notices and email, each through the sender its section names: the in-memory recorders
/// (development and tests; read at /api/dev/…), Twilio, Firebase Cloud Messaging, SendGrid.</summary>
public static class NotificationServices
{
    public const string Queue = "notifications";

    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<SmsRecorder>();
        services.AddSingleton<PushRecorder>();
        services.AddSingleton<EmailRecorder>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<SmsLog>();
        services.AddSingleton<Devices>();
        services.AddSingleton<UserProfiles>();
        services.AddSingleton<Receipts>();
        services.AddSingleton<NoticeSending>();
        services.AddSingleton<SmsDeliveryMetrics>();
        services.AddTables(UserProfiles.Table, Devices.Table, Devices.TokenTable, DeliveryLog.Table, SmsLog.Table);

        // An app without a sender refuses to start, naming the setting, rather than lose messages.
        switch (Sender(services, configuration, environment, SenderOptions.Sms, SenderOptions.Twilio))
        {
            case SenderOptions.Twilio:
                var twilio = services.AddCheckedOptions<TwilioOptions>(configuration, TwilioOptions.Section, o => o.Problems());
                services.AddSingleton(sp => sp.GetRequiredService<IOptions<TwilioOptions>>().Value);
                services.AddSingleton<ISmsSender>(sp => ActivatorUtilities.CreateInstance<TwilioSms>(sp, Client(twilio.BaseUrl, "https://api.twilio.com")));
                break;
            default:
                services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsRecorder>());
                break;
        }

        switch (Sender(services, configuration, environment, SenderOptions.Push, SenderOptions.Fcm))
        {
            case SenderOptions.Fcm:
                services.AddCheckedOptions<FcmOptions>(configuration, FcmOptions.Section, o => o.Problems());
                services.AddSingleton<IPushSender>(sp => ActivatorUtilities.CreateInstance<FcmPush>(
                    sp, sp.GetRequiredService<IOptions<FcmOptions>>().Value, Client(null, null)));
                break;
            default:
                services.AddSingleton<IPushSender>(sp => sp.GetRequiredService<PushRecorder>());
                break;
        }

        switch (Sender(services, configuration, environment, SenderOptions.Email, SenderOptions.SendGrid))
        {
            case SenderOptions.SendGrid:
                var from = configuration["Email:From"];
                services.AddCheckedOptions<SendGridOptions>(configuration, SendGridOptions.Section, o => o.Problems(from));
                services.AddSingleton<IEmailSender>(sp => ActivatorUtilities.CreateInstance<SendGridEmail>(
                    sp, sp.GetRequiredService<IOptions<SendGridOptions>>().Value, from ?? "", Client(null, null)));
                break;
            default:
                services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<EmailRecorder>());
                break;
        }

        services.AddEffect<Notify, NoticeDelivery>("notify", Queue);
        return services;
    }

    /// <summary>The channel's sender as configured (the recorder by default in Development), checked on start: outside
    /// Development only the provider, as the recorder keeps messages where nobody reads them (sign-in codes included).</summary>
    private static string? Sender(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string channel, string provider)
    {
        var development = environment.IsDevelopment();
        var sender = configuration[$"{channel}:Sender"] is { Length: > 0 } named ? named : development ? SenderOptions.Recorder : null;
        services.AddOptions<SenderOptions>(channel)
            .Configure(o => o.Sender = sender)
            .Validate(
                o => o.Sender == provider || (development && o.Sender is SenderOptions.Recorder),
                development
                    ? $"{channel}:Sender is '{provider}' (or '{SenderOptions.Recorder}' to keep messages in memory, for development)."
                    : $"{channel}:Sender is '{provider}' outside Development, with its settings ('{SenderOptions.Recorder}' keeps messages in memory, where nobody reads them).")
            .ValidateOnStart();
        return sender;
    }

    /// <summary>A provider's HTTP client; a base address other than the provider's own sends its client library's
    /// requests there (a local fake).</summary>
    private static HttpClient Client(Uri? baseUrl, string? providerBase)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(baseUrl is not null && providerBase is not null && baseUrl != new Uri(providerBase) ? new BaseAddressRewrite(baseUrl, handler) : handler)
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }
}
