using Atlas.Functions.Functions;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;

namespace Atlas.Testing;

/// <summary>Runs an app's non-HTTP triggers by hand, as the standalone pollers and timers would.</summary>
public static class Triggers
{
    public static Task<int> ScanAsync(IServiceProvider services) =>
        services.GetRequiredService<TimerScan>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs every queue function once over its queue; returns messages taken.</summary>
    public static async Task<int> PumpAsync(IServiceProvider services)
    {
        var pump = services.GetRequiredService<QueuePump>();
        var taken = 0;
        foreach (var function in services.GetRequiredService<FunctionCatalog>().All.OfType<QueueFunction>())
        {
            taken += await pump.RunOnceAsync(function.Queue, (m, ct) => function.Handler(services, m, ct), CancellationToken.None);
        }

        return taken;
    }

    /// <summary>Runs the timer scan and the queue functions until neither finds work.</summary>
    public static async Task DrainAsync(IServiceProvider services)
    {
        for (var round = 0; round < 50; round++)
        {
            if (await ScanAsync(services) + await PumpAsync(services) == 0)
            {
                return;
            }
        }

        throw new InvalidOperationException("The app did not go quiet after 50 rounds.");
    }
}
