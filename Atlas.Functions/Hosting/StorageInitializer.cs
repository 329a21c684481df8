using Atlas.Functions.Functions;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Hosting;

/// <summary>
/// Creates the tables and queues (with their poison queues) the app uses before it serves anything: in the hosts's
/// "starting" step, which runs before any hosted service starts (the worker's connection to the Functions host is one,
/// and requests come as soon as it has loaded the functions). If storage is not reachable the app still starts, says
/// so in the log and on /api/health, and keeps trying. The tables are those the runtime and the features registered
/// (<see cref="AtlasServices.AddTables"/>); the queues, every queue trigger's and those registered.
/// </summary>
public sealed class StorageInitializer(
    ITableStore tables,
    IQueueClient queues,
    FunctionIndex functions,
    IEnumerable<StorageName> names,
    IHostApplicationLifetime lifetime,
    ILogger<StorageInitializer> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);
    private readonly StorageName[] _names = [.. names.Distinct()];

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!await TryCreateAsync(cancellationToken))
        {
            _ = RetryUntilCreatedAsync(lifetime.ApplicationStopping);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RetryUntilCreatedAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(RetryEvery, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            if (!ct.IsCancellationRequested && await TryCreateAsync(ct))
            {
                logger.LogInformation("Storage is reachable again; tables and queues are in place");
                return;
            }
        }
    }

    private async Task<bool> TryCreateAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Attempt);
        try
        {
            foreach (var table in _names.OfType<StorageName.Table>().Select(t => t.Name))
            {
                await tables.CreateTableIfNotExistsAsync(table, timeout.Token);
            }

            // The Functions host waits for a trigger's queue to exist rather than making it.
            foreach (var queue in functions.Queues.Select(q => QueueNames.Unprefixed(q.Queue)))
            {
                await queues.CreateIfNotExistsAsync(queue, timeout.Token);
                await queues.CreateIfNotExistsAsync(QueueNames.Poison(queue), timeout.Token);
            }

            foreach (var queue in _names.OfType<StorageName.Queue>().Select(q => q.Name))
            {
                await queues.CreateIfNotExistsAsync(queue, timeout.Token);
            }

            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogCritical(e, "Storage is not reachable; is Azurite running? (see README). Retrying every {Interval}", RetryEvery);
            return false;
        }
    }
}
