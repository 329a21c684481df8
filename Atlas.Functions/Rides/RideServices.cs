using Atlas.Core.Rides;
using Atlas.Functions.Hosting;

namespace Atlas.Functions.Rides;

/// <summary>Rides: their lifecycle, the functions drivers and riders call, and what a ride's end sets off.</summary>
public static class RideServices
{
    public static IServiceCollection AddRides(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RideOptions.Section);
        services.Configure<RideOptions>(section);
        var options = new RideOptions();
        section.Bind(options);

        services.AddLifecycle(new RideDecider(options.ToRules()));
        services.AddStateMetrics<Ride, RideCommand, RideMetrics>();
        services.AddSingleton<RideContext>();
        services.AddEffect<FinishRide, RideFinishing>("ride.finish");
        services.AddEffect<RateDriver, DriverRatings>("ride.rate-driver");
        return services;
    }
}
