using Atlas.Functions.Functions;
using Atlas.Functions.Queues;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Hosting;

/// <summary>Standalone mode's stand-in for the Functions host: a poller per queue function and a loop per timer.</summary>
public sealed class StandaloneTriggers(
    FunctionCatalog catalog,
    QueuePump pump,
    IServiceProvider services,
    TimeProvider clock,
    IOptions<QueueOptions> queueOptions,
    IOptions<HostingOptions> hostingOptions,
    ILogger<StandaloneTriggers> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Under the Functions host the host drives these triggers; tests drive them by hand.
        var hosting = hostingOptions.Value;
        if (hosting.Mode != HostingMode.Standalone || !hosting.RunTriggers)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(
            catalog.All.OfType<QueueFunction>().Select(f => PollAsync(f, stoppingToken))
                .Concat(catalog.All.OfType<TimerFunction>().Select(f => TickAsync(f, stoppingToken))));
    }

    private async Task PollAsync(QueueFunction function, CancellationToken ct)
    {
        var idle = TimeSpan.Zero;
        var maxIdle = queueOptions.Value.MaxPollingInterval;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var received = await pump.RunOnceAsync(function.Queue, (m, token) => function.Handler(services, m, token), ct);
                // Back off while the queue is empty, as the Functions host does, up to the polling interval.
                idle = received > 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(maxIdle.Ticks, Math.Max(idle.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Polling {Queue} for {Function} failed", function.Queue, function.Name);
                idle = maxIdle;
            }

            if (idle > TimeSpan.Zero)
            {
                await Task.Delay(idle, clock, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task TickAsync(TimerFunction function, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(function.Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await function.Handler(services, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Timer function {Function} failed", function.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
