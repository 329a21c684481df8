using System.Reflection;
using Atlas.Functions.Functions;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Testing;

/// <summary>Runs an app's queue functions, its relay scan and its deadlines by hand, on services without a Functions
/// host (the runtime's tests): each queue function is called as the host would call it, with the message, its id and
/// dequeue count, and its other parameters from the services; what the flows queue would deliver goes to
/// <see cref="ManualFlows"/>, the engine's stand-in.</summary>
public static class Triggers
{
    /// <summary>Relays what crashes left in outboxes, and fires the deadlines the clock has passed.</summary>
    public static async Task<int> ScanAsync(IServiceProvider services)
    {
        await RelaysQuietAsync(services);
        return await services.GetRequiredService<RelayScan>().RunOnceAsync(CancellationToken.None) + await FireDeadlinesAsync(services);
    }

    /// <summary>Until the relays that commands began after answering have ended: what they send is then on its queue
    /// (or with its flow) for a pump or a scan to find.</summary>
    public static Task RelaysQuietAsync(IServiceProvider services) =>
        services.GetRequiredService<OutboxRelay>().QuietAsync(CancellationToken.None);

    /// <summary>Takes what waits on the flows queue, then fires every deadline the clock has passed; returns how
    /// many fired.</summary>
    public static async Task<int> FireDeadlinesAsync(IServiceProvider services)
    {
        await RelaysQuietAsync(services);
        var flows = services.GetRequiredService<ManualFlows>();
        var pump = services.GetRequiredService<QueuePump>();
        while (await pump.RunOnceAsync(FlowFact.Queue, flows.TakeAsync, CancellationToken.None) > 0)
        {
        }

        var fired = await flows.FireDueAsync(CancellationToken.None);
        await RelaysQuietAsync(services);
        return fired;
    }

    /// <summary>Runs every queue function once over its queue; returns messages taken.</summary>
    public static async Task<int> PumpAsync(IServiceProvider services)
    {
        await RelaysQuietAsync(services);
        var pump = services.GetRequiredService<QueuePump>();
        var taken = 0;
        foreach (var function in services.GetRequiredService<FunctionIndex>().Queues)
        {
            Func<QueueMessage, CancellationToken, Task> handler = function.Name == FlowDelivery.Function
                ? services.GetRequiredService<ManualFlows>().TakeAsync
                : (m, ct) => InvokeAsync(function.Method, m, services, ct);
            taken += await pump.RunOnceAsync(QueueNames.Unprefixed(function.Queue), handler, CancellationToken.None);
        }

        await RelaysQuietAsync(services);
        return taken;
    }

    /// <summary>Runs the scan and the queue functions until neither finds work.</summary>
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
