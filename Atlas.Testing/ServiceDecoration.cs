namespace Atlas.Testing;

public static class ServiceDecoration
{
    /// <summary>Wraps the last registration of a singleton port (after AddAtlas has made it) in a decorator.</summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var original = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(original);
        services.AddSingleton(sp => decorate(
            (TService)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)),
            sp));
        return services;
    }
}
