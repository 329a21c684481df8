using Atlas.Core.Notifications;
using Atlas.Functions.Hosting;

namespace Atlas.Functions.Notifications;

/// <summary>Texts and push notices, each through a sender named in configuration, on the notifications queue.</summary>
public static class NotificationServices
{
    public const string Queue = "notifications";

    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // The only senders so far keep messages in memory (read them at /api/dev/… in Development); a real provider
        // is an ISmsSender or IPushSender away. An app without a sender refuses to start rather than lose messages.
        AddSender(services, configuration, environment, SenderOptions.Sms, "SMS");
        AddSender(services, configuration, environment, SenderOptions.Push, "push");
        services.AddSingleton<SmsRecorder>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsRecorder>());
        services.AddSingleton<PushRecorder>();
        services.AddSingleton<IPushSender>(sp => sp.GetRequiredService<PushRecorder>());
        services.AddEffect<Notify, NoticeDelivery>("notify", Queue);
        return services;
    }

    private static void AddSender(
        IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string channel, string what)
    {
        services.AddOptions<SenderOptions>(channel)
            .Bind(configuration.GetSection(channel))
            .Configure(o => o.Sender ??= environment.IsDevelopment() ? SenderOptions.Recorder : null)
            .Validate(o => o.Sender == SenderOptions.Recorder, $"{channel}:Sender names the {what} provider; the only one so far is '{SenderOptions.Recorder}'.")
            .ValidateOnStart();
    }
}
