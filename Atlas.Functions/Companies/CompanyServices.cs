using Atlas.Functions.Hosting;

namespace Atlas.Functions.Companies;

/// <summary>Companies, their members, vehicles and drivers.</summary>
public static class CompanyServices
{
    public static IServiceCollection AddCompanies(this IServiceCollection services)
    {
        services.AddSingleton<CompanyStore>();
        services.AddSingleton<DriverLocator>();
        services.AddTables(CompanyStore.Table, DriverLocator.Table);
        return services;
    }
}
