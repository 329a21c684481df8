using Atlas.Core.Auth;
using Atlas.Functions.Hosting;
using Atlas.Functions.Notifications;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Auth;

/// <summary>Sign-in, sessions and who-may-do-what.</summary>
public static class AuthServices
{
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<SignInCodes>();
        services.AddSingleton<SessionIssuer>();
        services.AddSingleton<PlatformAdmins>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<PhoneKeys>();
        services.AddSingleton<CodeConfirmation>();

        services.AddCheckedOptions<SmsGuardOptions>(configuration, SmsGuardOptions.Section, o => o.Problems());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SmsGuardOptions>>().Value.ToCallingCodes());
        services.AddSingleton(sp => new SmsGuard(sp.GetRequiredService<IOptions<SmsGuardOptions>>().Value.ToRules()));
        services.AddSingleton<SmsCounters>();
        services.AddTables(SmsCounters.Table);
        services.AddSingleton<SignInTexts>();

        services.AddLifecycle(new ChallengeDecider());
        services.AddStateMetrics<Challenge, ChallengeCommand, SignInMetrics>();
        services.AddLifecycle(new AccountDecider());
        services.AddLifecycle(new SessionDecider());
        services.AddEffect<SendSignInCode, SignInCodeDelivery>("auth.send-sign-in-code", NotificationServices.Queue);

        return services;
    }
}
