using Atlas.Functions.Hosting;
using Atlas.Functions.Storage;

namespace Atlas.Testing.Sample;

/// <summary>Registers the sample lifecycle and its effect receiver, as a feature would (the runtime's tests drive it
/// directly; it has no functions of its own).</summary>
public static class SampleJobs
{
    public const string EffectKind = "job.announce";

    public static IServiceCollection AddSampleJobs(this IServiceCollection services, DeliveryLog? deliveries = null)
    {
        services.AddSingleton(deliveries ?? new DeliveryLog());
        services.AddLifecycle(new JobDecider());
        // Its deadline needs a flow; under TestRuntime the engine's stand-in (ManualFlows) plays it.
        services.AddFlow<JobState>(JobDecider.Name, "SampleJobFlow", id => "job-" + id, state => state is Closed);
        services.AddEffect<Announce, Announcer>(EffectKind);
        services.AddHostedService<ReceiptsTable>();
        return services;
    }

    /// <summary>Creates the receiver's table at start-up, when storage is there (the health test runs without it).</summary>
    public sealed class ReceiptsTable(ITableStore tables) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await tables.CreateTableIfNotExistsAsync(Announcer.ReceiptsTable, cancellationToken);
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
            {
                // Storage is down; the tests that use receipts run with it up.
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
