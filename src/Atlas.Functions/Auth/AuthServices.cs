using Atlas.Core.Auth;
using Atlas.Functions.Hosting;
using Atlas.Functions.Notifications;

namespace Atlas.Functions.Auth;

/// <summary>Sign-in, sessions and who-may-do-what.</summary>
public static class AuthServices
{
    public const string NotificationsQueue = "notifications";

    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<SignInCodes>();
        services.AddSingleton<SessionIssuer>();
        services.AddRateLimits(configuration);

        services.AddLifecycle(new ChallengeDecider());
        services.AddLifecycle(new AccountDecider());
        services.AddLifecycle(new SessionDecider());
        services.AddEffect<SendSignInCode, SignInCodeDelivery>("auth.send-sign-in-code", NotificationsQueue);

        services.AddFunctions(SignInFunctions.Declare);
        services.AddFunctions(SessionFunctions.Declare);

        // The only sender so far keeps texts in memory (read them at GET /api/dev/sms in Development); a real
        // provider is an ISmsSender away. An app without a sender refuses to start rather than lose codes.
        services.AddOptions<SmsOptions>()
            .Bind(configuration.GetSection(SmsOptions.Section))
            .Configure(o => o.Sender ??= environment.IsDevelopment() ? SmsOptions.Recorder : null)
            .Validate(o => o.Sender == SmsOptions.Recorder, $"Sms:Sender names the SMS provider; the only one so far is '{SmsOptions.Recorder}'.")
            .ValidateOnStart();
        services.AddSingleton<SmsRecorder>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsRecorder>());

        if (environment.IsDevelopment())
        {
            services.AddFunctions(DevSmsFunctions.Declare);
        }

        return services;
    }
}
