using System.Globalization;
using Atlas.Functions.Functions;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Lifecycles;

/// <summary>The runtime's own functions: the timer scan, and one queue function per effect queue.</summary>
public static class LifecycleFunctions
{
    public static void Declare(FunctionCatalog catalog, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LifecycleOptions>>().Value;
        catalog.Timer(
            "TimerScan",
            options.TimerScanInterval,
            (sp, ct) => sp.GetRequiredService<TimerScan>().RunOnceAsync(ct));

        foreach (var queue in services.GetRequiredService<EffectRoutes>().Queues)
        {
            catalog.Queue(
                FunctionName(queue),
                queue,
                (sp, message, ct) => sp.GetRequiredService<EffectDispatcher>().HandleAsync(message, ct));
        }
    }

    /// <summary>"effects" → "Effects", "ride-notifications" → "RideNotifications".</summary>
    public static string FunctionName(string queue) => string.Concat(
        queue.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}
