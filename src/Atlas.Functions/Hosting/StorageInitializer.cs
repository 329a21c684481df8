using Atlas.Functions.Functions;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Hosting;

/// <summary>Creates the tables and queues (with their poison queues) the app uses, before it serves anything.</summary>
public sealed class StorageInitializer(ITableStore tables, IQueueClient queues, FunctionCatalog catalog, ILogger<StorageInitializer> logger)
    : IHostedService
{
    public static readonly string[] Tables = [LifecycleKeys.Table, DueIndex.Table];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var table in Tables)
            {
                await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
            }

            foreach (var queue in catalog.All.OfType<QueueFunction>().Select(q => q.Queue))
            {
                await queues.CreateIfNotExistsAsync(queue, cancellationToken);
                await queues.CreateIfNotExistsAsync(QueueOptions.PoisonQueue(queue), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogCritical(e, "Storage is not reachable; is Azurite running? (see README)");
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
