using Atlas.Core.Auth;
using Atlas.Functions.Hosting;

namespace Atlas.Functions.Privacy;

/// <summary>Privacy rights and retention: the export, erasure (its checks and its effect) and the daily purge.</summary>
public static class PrivacyServices
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCheckedOptions<RetentionOptions>(configuration, RetentionOptions.Section, o => o.Problems());
        services.AddSingleton<Erasures>();
        services.AddSingleton<UserHistory>();
        services.AddSingleton<UserExport>();
        services.AddSingleton<ErasureChecks>();
        services.AddSingleton<RecordPurge>();
        services.AddEffect<EraseUser, UserErasure>("privacy.erase-user");
        return services;
    }
}
