using Atlas.Core.Auth;
using Atlas.Functions.Hosting;

namespace Atlas.Functions.Privacy;

/// <summary>Privacy rights: the export, and erasure (its checks and its effect).</summary>
public static class PrivacyServices
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<Erasures>();
        services.AddSingleton<UserHistory>();
        services.AddSingleton<UserExport>();
        services.AddSingleton<ErasureChecks>();
        services.AddEffect<EraseUser, UserErasure>("privacy.erase-user");
        return services;
    }
}
