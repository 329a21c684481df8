using Atlas.Functions.Hosting;
using Atlas.Functions.Storage;

namespace Atlas.Tests.Sample;

/// <summary>Registers the sample lifecycle, its effect receiver and its routes, as a feature would.</summary>
public static class SampleJobs
{
    public const string EffectKind = "job.announce";

    public static IServiceCollection AddSampleJobs(this IServiceCollection services, DeliveryLog? deliveries = null)
    {
        services.AddSingleton(deliveries ?? new DeliveryLog());
        services.AddLifecycle(new JobDecider());
        services.AddEffect<Announce, Announcer>(EffectKind);
        services.AddFunctions(JobFunctions.Declare);
        services.AddHostedService<ReceiptsTable>();
        return services;
    }

    /// <summary>Creates the receiver's table at start-up.</summary>
    public sealed class ReceiptsTable(ITableStore tables) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            tables.CreateTableIfNotExistsAsync(Announcer.ReceiptsTable, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
