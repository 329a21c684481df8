using System.Reflection;
using Atlas.Functions.Functions;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Testing;

/// <summary>Runs an app's queue functions and its timer scan by hand, on services without a Functions host (the
/// runtime's tests): each queue function is called as the host would call it, with the message, its id and dequeue
/// count, and its other parameters from the services.</summary>
public static class Triggers
{
    public static Task<int> ScanAsync(IServiceProvider services) =>
        services.GetRequiredService<TimerScan>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs every queue function once over its queue; returns messages taken.</summary>
    public static async Task<int> PumpAsync(IServiceProvider services)
    {
        var pump = services.GetRequiredService<QueuePump>();
        var taken = 0;
        foreach (var function in services.GetRequiredService<FunctionIndex>().Queues)
        {
            taken += await pump.RunOnceAsync(QueueNames.Unprefixed(function.Queue), (m, ct) => InvokeAsync(function.Method, m, services, ct), CancellationToken.None);
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

    private static Task InvokeAsync(MethodInfo function, QueueMessage message, IServiceProvider services, CancellationToken ct)
    {
        var arguments = function.GetParameters().Select(p => p switch
        {
            _ when p.GetCustomAttribute<QueueTriggerAttribute>() is not null => message.Text,
            { Name: "id" } => message.Id,
            { Name: "dequeueCount" } => (object)(long)message.DequeueCount,
            _ when p.ParameterType == typeof(CancellationToken) => ct,
            _ => services.GetRequiredService(p.ParameterType),
        }).ToArray();
        return (Task)function.Invoke(null, arguments)!;
    }
}
