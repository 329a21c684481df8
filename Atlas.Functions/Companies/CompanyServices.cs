using Atlas.Functions.Hosting;

namespace Atlas.Functions.Companies;

/// <summary>Companies, their members, vehicles and drivers.</summary>
public static class CompanyServices
{
    public static IServiceCollection AddCompanies(this IServiceCollection services)
    {
        services.AddSingleton<CompanyStore>();
        services.AddFunctions(CompanyFunctions.Declare);
        services.AddFunctions(MemberFunctions.Declare);
        services.AddFunctions(VehicleFunctions.Declare);
        services.AddFunctions(DriverFunctions.Declare);
        services.AddFunctions(CompanySettingsFunctions.Declare);
        services.AddSingleton<DriverLocator>();
        return services;
    }
}
