using Atlas.Functions.Functions;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Hosting;

/// <summary>
/// Creates the tables and queues (with their poison queues) the app uses before it serves anything: in the hosts's
/// "starting" step, which runs before any hosted service starts (the worker's connection to the Functions host is one,
/// and requests come as soon as it has loaded the functions). If storage is not reachable the app still starts, says
/// so in the log and on /api/health, and keeps trying.
/// </summary>
public sealed class StorageInitializer(
    ITableStore tables,
    IQueueClient queues,
    FunctionIndex functions,
    IHostApplicationLifetime lifetime,
    ILogger<StorageInitializer> logger) : IHostedLifecycleService
{
    public static readonly string[] Tables =
    [
        LifecycleKeys.Table, RelayIndex.Table, Companies.CompanyStore.Table, Companies.DriverLocator.Table, Bookings.BookingIndex.Table, Http.IdempotencyKeys.Table,
        Payments.PaymentProfiles.Table, Ledger.LedgerStore.Table, Settlement.SettlementStore.Table, Webhooks.StripeEventLog.Table,
        Notifications.UserProfiles.Table, Notifications.Devices.Table, Notifications.Devices.TokenTable, Notifications.DeliveryLog.Table,
        Notifications.Providers.SmsLog.Table, Auth.SmsCounters.Table, Ops.AuditLog.Table, Ops.DailyFacts.Table,
    ];
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

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
            foreach (var table in Tables)
            {
                await tables.CreateTableIfNotExistsAsync(table, timeout.Token);
            }

            // The Functions host waits for a trigger's queue to exist rather than making it.
            foreach (var queue in functions.Queues.Select(q => QueueNames.Unprefixed(q.Queue)))
            {
                await queues.CreateIfNotExistsAsync(queue, timeout.Token);
                await queues.CreateIfNotExistsAsync(QueueNames.Poison(queue), timeout.Token);
            }

            // Read by other systems, not by a function of this app: local development's business events.
            await queues.CreateIfNotExistsAsync(Integration.QueueIntegrationEvents.Queue, timeout.Token);

            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogCritical(e, "Storage is not reachable; is Azurite running? (see README). Retrying every {Interval}", RetryEvery);
            return false;
        }
    }
}
