using Atlas.Core.Auth;
using Atlas.Functions.Hosting;
using Atlas.Functions.Notifications;

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

        services.AddLifecycle(new ChallengeDecider());
        services.AddLifecycle(new AccountDecider());
        services.AddLifecycle(new SessionDecider());
        services.AddEffect<SendSignInCode, SignInCodeDelivery>("auth.send-sign-in-code", NotificationServices.Queue);

        return services;
    }
}
