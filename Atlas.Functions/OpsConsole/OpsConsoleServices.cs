namespace Atlas.Functions.OpsConsole;

public static class OpsConsoleServices
{
    public static IServiceCollection AddOpsConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleFiles>();
        return services;
    }
}
